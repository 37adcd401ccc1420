using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// The Deployment <c>&lt;name&gt;-forward</c>: the forwarder, with the connection's key Secret
/// mounted read-only (mode 0400), hardened like the operator's own pod (non-root, read-only
/// root filesystem, no capabilities, no privilege escalation, RuntimeDefault seccomp, no
/// ServiceAccount token), probed on <c>/readyz</c> (an authenticated session) and <c>/healthz</c>.
/// </summary>
public static class ForwarderDeploymentTemplate
{
    /// <summary>The Secret volume's mode: the owner (and, through fsGroup, the pod's group) reads, nobody writes.</summary>
    public const int SecretMode = 0x100;

    public static JsonObject Build(PortForwardResource resource, string secretName, ForwarderSettings settings)
    {
        var spec = resource.Spec;
        var podLabels = WorkloadMetadata.Map(PortForwardNames.Labels(resource.Name));
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = WorkloadMetadata.For(resource, PortForwardNames.DeploymentName(resource.Name)),
            ["spec"] = new JsonObject
            {
                ["replicas"] = spec.Replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = WorkloadMetadata.Map(PortForwardNames.SelectorLabels(resource.Name)) },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = podLabels },
                    ["spec"] = new JsonObject
                    {
                        ["automountServiceAccountToken"] = false,
                        ["enableServiceLinks"] = false,
                        ["securityContext"] = new JsonObject
                        {
                            ["runAsNonRoot"] = true,
                            ["runAsUser"] = ForwarderSettings.User,
                            ["runAsGroup"] = ForwarderSettings.User,
                            // The kubelet gives the Secret's files to this group with group read added, so the non-root user reads them at mode 0400.
                            ["fsGroup"] = ForwarderSettings.User,
                            ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                        },
                        ["containers"] = new JsonArray(Container(spec, settings)),
                        ["volumes"] = new JsonArray(
                            new JsonObject
                            {
                                ["name"] = "keys",
                                ["secret"] = new JsonObject { ["secretName"] = secretName, ["defaultMode"] = SecretMode },
                            },
                            new JsonObject
                            {
                                ["name"] = "tmp",
                                ["emptyDir"] = new JsonObject { ["sizeLimit"] = "16Mi" },
                            }),
                        ["nodeSelector"] = WorkloadMetadata.Map(spec.NodeSelector ?? new Dictionary<string, string>()),
                        ["tolerations"] = JsonSerializer.SerializeToNode(spec.Tolerations ?? [], PortForwardJsonContext.Default.IReadOnlyListPodToleration),
                    },
                },
            },
        };
    }

    /// <summary>The forwarder's arguments: the Secret folder, one <c>--forward</c> per forward in spec order, the health port.</summary>
    public static IReadOnlyList<string> Arguments(PortForwardSpec spec, string secretDirectory, int firstListenPort, int healthPort)
    {
        var arguments = new List<string> { "--secret-dir", secretDirectory };
        for (var index = 0; index < spec.Forwards.Count; index++)
        {
            var forward = spec.Forwards[index];
            arguments.Add("--forward");
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"{forward.Name}={firstListenPort + index}:{forward.TargetHost}:{forward.TargetPort}"));
        }

        arguments.Add("--health-port");
        arguments.Add(healthPort.ToString(CultureInfo.InvariantCulture));
        return arguments;
    }

    private static JsonObject Container(PortForwardSpec spec, ForwarderSettings settings)
    {
        var ports = new JsonArray(new JsonObject { ["containerPort"] = ForwarderSettings.HealthPort, ["protocol"] = "TCP" });
        for (var index = 0; index < spec.Forwards.Count; index++)
        {
            // As a JsonNode: the generic Add<T> would go through reflection-based serialization.
            ports.Add((JsonNode)new JsonObject
            {
                ["name"] = spec.Forwards[index].Name,
                ["containerPort"] = ForwarderSettings.FirstListenPort + index,
                ["protocol"] = "TCP",
            });
        }

        var arguments = new JsonArray();
        foreach (var argument in Arguments(spec, ForwarderSettings.SecretDirectory, ForwarderSettings.FirstListenPort, ForwarderSettings.HealthPort))
        {
            arguments.Add((JsonNode)JsonValue.Create(argument));
        }

        return new JsonObject
        {
            ["name"] = "forwarder",
            ["image"] = settings.Image,
            ["command"] = new JsonArray(ForwarderSettings.Program),
            ["args"] = arguments,
            ["ports"] = ports,
            ["readinessProbe"] = Probe("/readyz", periodSeconds: 5, failureThreshold: 2),
            ["livenessProbe"] = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),
            ["resources"] = JsonSerializer.SerializeToNode(spec.Resources ?? ForwarderSettings.DefaultResources, PortForwardJsonContext.Default.ForwarderResources),
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "keys", ["mountPath"] = ForwarderSettings.SecretDirectory, ["readOnly"] = true },
                // The root filesystem is read-only; .NET keeps its diagnostics socket in /tmp.
                new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" }),
        };
    }

    private static JsonObject Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = ForwarderSettings.HealthPort, ["scheme"] = "HTTP" },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = 3,
        ["successThreshold"] = 1,
        ["failureThreshold"] = failureThreshold,
    };
}
