-- Argo CD actions for sshtunnels.io/SshTunnelConnection.
local actions = {}
actions["rotate-keys"] = {
  ["disabled"] = false,
  ["displayName"] = "Rotate keys",
  ["iconClass"] = "fa fa-fw fa-key",
}
return actions
