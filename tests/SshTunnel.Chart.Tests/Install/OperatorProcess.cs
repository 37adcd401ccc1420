using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>The real operator (SshTunnel.Operator.dll, built with the tests) run as a process with the chart's flags.</summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private OperatorProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the operator printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static OperatorProcess Start(IEnumerable<string> arguments, string kubeconfig)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SshTunnel.Operator.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["KUBECONFIG"] = kubeconfig;
        return new OperatorProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start the operator"));
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
