-- Argo CD health check for sshtunnels.io/SshTunnelConnection (resource_customizations form).
-- The operator follows kstatus: a Ready condition plus observedGeneration. Argo CD runs scripts
-- from argocd-cm with only Lua's base, package and table libraries (no string, math or os), so
-- this uses operators and base functions alone; health_test.yaml holds its test cases.
local hs = {}

local failureReasons = {
  SecretConflict = true,
  SecretInvalid = true,
  InvalidRotationToken = true,
  ValidationFailed = true,
}

local function progressing(message)
  hs.status = "Progressing"
  hs.message = message
  return hs
end

local function asInteger(value)
  local number = tonumber(value)
  if number ~= nil and number % 1 == 0 then
    return number
  end
  return nil
end

local status = obj.status
if status == nil or status.conditions == nil then
  return progressing("Waiting for the operator to publish status")
end

local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  return progressing("Waiting for the operator to observe generation " .. tostring(generation))
end

local ready = nil
for _, condition in ipairs(status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  end
end
if ready == nil then
  return progressing("Waiting for the Ready condition")
end
if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
  return progressing("Waiting for the operator to observe generation " .. tostring(generation))
end

local message = ready.message or ""
if ready.status == "True" then
  -- A bumped rotate-keys annotation does not change generation: compare it with the token
  -- the operator last handled.
  local annotations = obj.metadata.annotations or {}
  local requested = asInteger(annotations["sshtunnels.io/rotate-keys"])
  local handled = nil
  if status.rotation ~= nil then
    handled = asInteger(status.rotation.handled)
  end
  if requested ~= nil and handled ~= nil and requested > handled then
    return progressing("Waiting for the operator to rotate the keys")
  end
  hs.status = "Healthy"
  hs.message = message
  return hs
end

-- The failures that need a person (a foreign Secret, a broken Secret, a bad rotation token, a
-- bastion that refuses the key) are Degraded; anything else, ValidationPending included, is
-- still on its way.
if ready.status == "False" and failureReasons[ready.reason] then
  hs.status = "Degraded"
  hs.message = ready.reason .. ": " .. message
  return hs
end

return progressing(tostring(ready.reason or "Reconciling") .. ": " .. message)
