using SshTunnel.Operator.Hosting;

return await OperatorHost.RunAsync(args, new StartupClock(TimeProvider.System));
