-- Argo CD health check for sshtunnels.io/SshPortForward (resource_customizations form).
-- The operator follows kstatus: observedGeneration, a Ready condition, and Reconciling and Stalled
-- conditions that are present only while True. Argo CD runs scripts from argocd-cm with only Lua's
-- base, package and table libraries (no string, math or os), so this uses operators and base
-- functions alone; health_test.yaml holds its test cases.
local hs = {}

-- Ready reasons that stay until someone changes something: a connection that does not exist, a
-- Deployment or Service of the same name that the operator does not own, a rollout that passed
-- its progress deadline.
local permanentReasons = {
  ConnectionNotFound = true,
  DeploymentConflict = true,
  ServiceConflict = true,
  ProgressDeadlineExceeded = true,
}

local function health(status, message)
  hs.status = status
  hs.message = message
  return hs
end

local function describe(condition)
  return tostring(condition.reason) .. ": " .. (condition.message or "")
end

local status = obj.status
if status == nil or status.conditions == nil then
  return health("Progressing", "Waiting for the operator to publish status")
end

local generation = obj.metadata.generation
local waitingForGeneration = "Waiting for the operator to observe generation " .. tostring(generation)
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  return health("Progressing", waitingForGeneration)
end

local conditions = {}
for _, condition in ipairs(status.conditions) do
  conditions[condition.type] = condition
end

local stalled = conditions["Stalled"]
if stalled ~= nil and stalled.status == "True" then
  return health("Degraded", describe(stalled))
end

local ready = conditions["Ready"]
if ready == nil then
  return health("Progressing", "Waiting for the Ready condition")
end
if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
  return health("Progressing", waitingForGeneration)
end
if ready.status == "False" and permanentReasons[ready.reason] then
  return health("Degraded", describe(ready))
end

-- A rollout of a new spec (or a scale-up) keeps the old pods ready: Ready stays True meanwhile.
local reconciling = conditions["Reconciling"]
if reconciling ~= nil and reconciling.status == "True" then
  return health("Progressing", describe(reconciling))
end

if ready.status == "True" then
  return health("Healthy", ready.message or "")
end

return health("Progressing", describe(ready))
