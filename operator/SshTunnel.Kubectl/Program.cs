using SshTunnel.Kubectl.Cli;

return await PluginCommand.Create().Parse(args).InvokeAsync();
