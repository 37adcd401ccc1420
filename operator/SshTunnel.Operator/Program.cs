using SshTunnel.Operator.Hosting;

return await OperatorHost.RunAsync(args, cluster: null, new StartupClock(TimeProvider.System));
