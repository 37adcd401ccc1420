using Kube.Emulator;

var options = new EmulatorOptions();
string? kubeconfig = null;
for (var index = 0; index < args.Length; index++)
{
    switch (args[index])
    {
        case "--crds" when index + 1 < args.Length:
            options.CrdDirectory = args[++index];
            break;
        case "--kubeconfig" when index + 1 < args.Length:
            kubeconfig = args[++index];
            break;
        case "--port" when index + 1 < args.Length:
            options.Port = int.Parse(args[++index], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--control":
            options.ControlOverHttp = true;
            break;
        case "--enable-admission-plugins" when index + 1 < args.Length:
            // kube-apiserver's flag; of the plugins off by default, the emulator has this one.
            foreach (var plugin in args[++index].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (plugin != "OwnerReferencesPermissionEnforcement")
                {
                    await Console.Error.WriteLineAsync($"unknown admission plugin {plugin}: the emulator can enable OwnerReferencesPermissionEnforcement").ConfigureAwait(false);
                    return 2;
                }

                options.OwnerReferencesPermissionEnforcement = true;
            }

            break;
        default:
            await Console.Error.WriteLineAsync(
                "usage: Kube.Emulator [--crds DIR] [--kubeconfig PATH] [--port N] [--control] [--enable-admission-plugins OwnerReferencesPermissionEnforcement]").ConfigureAwait(false);
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var emulator = await KubeEmulator.StartAsync(options, stop.Token).ConfigureAwait(false);
Console.WriteLine("Kubernetes API emulator listening on " + emulator.BaseAddress);
if (kubeconfig is not null)
{
    Console.WriteLine("kubeconfig written to " + emulator.WriteKubeconfig(kubeconfig));
}

if (options.ControlOverHttp)
{
    Console.WriteLine("control endpoints under " + new Uri(emulator.BaseAddress, "/emulator/v1/"));
}

try
{
    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    Console.WriteLine("stopping");
}

return 0;
