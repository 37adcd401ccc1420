using System.Net;
using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Authorization;
using Kube.Emulator.Discovery;
using Kube.Emulator.Hosting;
using Kube.Emulator.Lifecycle;
using Kube.Emulator.Objects;
using Kube.Emulator.Storage;
using Kube.Emulator.Strategies;
using Kube.Emulator.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kube.Emulator;

/// <summary>
/// An in-process Kubernetes API server on Kestrel (plain HTTP, no authentication) that kubectl, helm and
/// KubernetesClient accept: discovery, CRDs, built-in kinds with generic semantics, watches, and test controls.
/// </summary>
public sealed class KubeEmulator : IAsyncDisposable
{
    private static readonly string[] DefaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];
    private readonly WebApplication app;
    private readonly ObjectService objects;
    private readonly ResourceRegistry registry;
    private readonly CancellationTokenSource stopping;
    private readonly List<Task> background = [];

    private KubeEmulator(WebApplication app, ObjectService objects, ResourceRegistry registry, EmulatorControl control, Uri baseAddress, CancellationTokenSource stopping)
    {
        this.stopping = stopping;
        this.app = app;
        this.objects = objects;
        this.registry = registry;
        Control = control;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress { get; }

    /// <summary>Faults, watch and history control, counters and the request log.</summary>
    public EmulatorControl Control { get; }

    /// <summary>Starts an emulator; with <see cref="EmulatorOptions.CrdDirectory"/> set, its CRDs are installed before this returns.</summary>
    public static async Task<KubeEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var time = options.TimeProvider;
        var clock = new ResourceVersionClock();
        var registry = new ResourceRegistry(clock, Math.Max(1, options.WatchHistoryLimit));
        var crdStrategy = new CrdStrategy(time) { Registry = registry, TracksGeneration = true };
        BuiltInResources.Register(registry, crdStrategy);
        var objects = new ObjectService(registry, time);
        var collector = new GarbageCollector(objects);
        objects.Collector = collector;
        crdStrategy.Collector = collector;
        var control = new EmulatorControl(registry);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(KubeEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = HttpIo.MaxBodyBytes * 16;
            var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        Uri? baseAddress = null;
        var discovery = new DiscoveryEndpoints(registry, () => baseAddress!.Authority);
        var stopping = new CancellationTokenSource();
        var server = new ApiServer(registry, objects, control, discovery, new WatchStreamer(time), time, options.ControlOverHttp ? new ControlEndpoints(control) : null, options.OwnerReferencesPermissionEnforcement, stopping.Token);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseAddress = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));

        var emulator = new KubeEmulator(app, objects, registry, control, baseAddress, stopping);
        var namespaces = registry.Find(string.Empty, "v1", "namespaces")!;
        foreach (var name in DefaultNamespaces)
        {
            objects.Create(namespaces, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Internal("kube-apiserver"));
        }

        var clusterRoles = registry.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!;
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            objects.Create(clusterRoles, null, role, WriteOptions.Internal("kube-apiserver"));
        }

        var clusterRoleBindings = registry.Find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!;
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            objects.Create(clusterRoleBindings, null, binding, WriteOptions.Internal("kube-apiserver"));
        }

        emulator.background.Add(collector.RunAsync(emulator.stopping.Token));
        emulator.background.Add(emulator.BookmarkAsync(options.BookmarkInterval, time));
        if (options.CrdDirectory is { } directory)
        {
            await emulator.InstallCrdsAsync(directory, cancellationToken).ConfigureAwait(false);
        }

        return emulator;
    }

    /// <summary>Writes a kubeconfig pointing here (creating its folder) and returns its full path.</summary>
    public string WriteKubeconfig(string path) => KubeconfigWriter.Write(path, BaseAddress);

    /// <summary>Writes a kubeconfig whose user is the ServiceAccount <paramref name="serviceAccount"/> (a token from <see cref="EmulatorControl.IssueToken"/>), so that RBAC applies to its requests.</summary>
    public string WriteKubeconfig(string path, string namespaceName, string serviceAccount) =>
        KubeconfigWriter.Write(path, BaseAddress, Control.IssueToken(namespaceName, serviceAccount));

    /// <summary>Installs every CRD in *.yaml, *.yml and *.json files of <paramref name="directory"/> through the same path as a POST (an existing CRD is replaced).</summary>
    public async Task InstallCrdsAsync(string directory, CancellationToken ct = default)
    {
        var crds = registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        var files = Directory.EnumerateFiles(directory)
            .Where(file => file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
            foreach (var document in YamlJson.ParseDocuments(text).OfType<JsonObject>())
            {
                if (document.GetString("kind") != "CustomResourceDefinition")
                {
                    continue;
                }

                var name = document.NameOf() ?? string.Empty;
                try
                {
                    if (crds.Store.Get(name) is null)
                    {
                        objects.Create(crds, null, document, WriteOptions.Internal("kube-emulator"));
                    }
                    else
                    {
                        // A CRD file knows nothing of the cleanup finalizer the live CRD carries; keep it.
                        document.Meta()["finalizers"] = crds.Store.Get(name)!.Parse().Meta()["finalizers"]?.DeepClone();
                        objects.Replace(crds, null, name, null, document, WriteOptions.Internal("kube-emulator"));
                    }
                }
                catch (ApiException failure)
                {
                    throw new InvalidOperationException("CRD " + name + " from " + file + " was refused: " + failure.Message, failure);
                }
            }
        }
    }

    /// <summary>Closes every watch, stops Kestrel and the background loops.</summary>
    public async ValueTask DisposeAsync()
    {
        registry.CloseAllWatches();
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(background).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task BookmarkAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                foreach (var store in registry.Stores)
                {
                    store.Bookmark();
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }
}
