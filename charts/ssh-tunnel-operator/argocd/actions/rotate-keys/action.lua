-- Rotates the keys of an SshTunnelConnection: sets the annotation sshtunnels.io/rotate-keys to
-- one more than the larger of its current value and status.rotation.handled (the highest value
-- the operator has handled), so the operator rotates exactly once. The value depends on the
-- object alone, and only what Argo CD's action sandbox offers is used: Lua's base, package and
-- table libraries (no string, math or os).
local annotation = "sshtunnels.io/rotate-keys"
-- Lua numbers are doubles: from 2^53 on, adding one is no longer exact.
local largestExact = 9007199254740992

local function asInteger(value)
  local number = tonumber(value)
  if number ~= nil and number % 1 == 0 then
    return number
  end
  return nil
end

if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end

local highest = 0
local current = asInteger(obj.metadata.annotations[annotation])
if current ~= nil and current > highest then
  highest = current
end
if obj.status ~= nil and obj.status.rotation ~= nil then
  local handled = asInteger(obj.status.rotation.handled)
  if handled ~= nil and handled > highest then
    highest = handled
  end
end
if highest >= largestExact then
  error(annotation .. " or status.rotation.handled is " .. tostring(highest)
    .. ", too large for Argo CD's Lua numbers: set the annotation by hand to a larger integer", 0)
end

obj.metadata.annotations[annotation] = tostring(highest + 1)
return obj
