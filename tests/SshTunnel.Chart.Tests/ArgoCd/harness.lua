-- Runs an Argo CD resource customization script the way Argo CD does: the object is the
-- global `obj`, the script's return value is the result. Prints that result as JSON.
-- Usage: lua5.4 harness.lua SCRIPT OBJECT_FILE (a Lua file that returns the object as a table).
local script, objectFile = arg[1], arg[2]

local function encodeString(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

local function isArray(value)
  local count = 0
  for _ in pairs(value) do
    count = count + 1
  end
  return count > 0 and count == #value
end

local encode

local function encodeTable(value)
  local parts = {}
  if isArray(value) then
    for _, item in ipairs(value) do
      parts[#parts + 1] = encode(item)
    end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for key, item in pairs(value) do
    parts[#parts + 1] = encodeString(tostring(key)) .. ":" .. encode(item)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

encode = function(value)
  local kind = type(value)
  if kind == "table" then
    return encodeTable(value)
  elseif kind == "string" then
    return encodeString(value)
  elseif kind == "number" then
    if value == math.floor(value) then
      return string.format("%d", value)
    end
    return string.format("%.17g", value)
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "nil" then
    return "null"
  end
  error("cannot encode a " .. kind)
end

obj = dofile(objectFile)
io.write(encode(dofile(script)))
