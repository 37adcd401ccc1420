using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Hosting;

ForwarderOptions options;
try
{
    options = ForwarderOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddJsonConsole(console =>
{
    console.UseUtcTimestamp = true;
    console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
});
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<ForwarderService>();

using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (System.Net.Sockets.SocketException e)
{
    await Console.Error.WriteLineAsync($"Cannot listen: {e.Message}. Check --listen-address and the --forward ports.");
    return 1;
}

return 0;
