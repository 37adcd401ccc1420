-- Rotates the keys of an SshTunnelConnection: sets the annotation sshtunnels.io/rotate-keys to
-- an integer greater than both its current value and the token the operator last handled.
-- The current time is the idiom ($(date +%s)); a token already in the future is bumped by one.
local annotation = "sshtunnels.io/rotate-keys"

local function asInteger(value)
  local number = tonumber(value)
  if number ~= nil and number == math.floor(number) then
    return number
  end
  return nil
end

if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end

local next = os.time()
local current = asInteger(obj.metadata.annotations[annotation])
if current ~= nil and current >= next then
  next = current + 1
end
if obj.status ~= nil and obj.status.rotation ~= nil then
  local handled = asInteger(obj.status.rotation.handled)
  if handled ~= nil and handled >= next then
    next = handled + 1
  end
end

obj.metadata.annotations[annotation] = string.format("%d", next)
return obj
