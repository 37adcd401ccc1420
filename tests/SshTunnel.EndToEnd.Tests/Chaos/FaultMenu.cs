using System.Text.Json.Nodes;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// The faults a chaos run arms through the emulator's control surface: on the operator's writes
/// (Secrets, the status subresource, Events, the Lease) every fault, lost replies included; on its
/// reads the answers a read can get. The run's own requests (patches, lists, watches) never match.
/// </summary>
public static class FaultMenu
{
    private static readonly (string Name, JsonObject Fault)[] ReadFaults =
    [
        ("500", Fault("ServerError", ("code", 500))),
        ("503", Fault("ServerError", ("code", 503))),
        ("429", Fault("TooManyRequests", ("retryAfterSeconds", 1))),
        ("504 after 1 s", Fault("Timeout", ("afterSeconds", 1))),
        ("hang", Fault("Hang")),
    ];

    private static readonly (string Name, JsonObject Fault)[] WriteFaults =
    [
        .. ReadFaults,
        ("409", Fault("Conflict")),
        ("commit then 500", Fault("CommitThenFail", ("reset", false))),
        ("commit then reset", Fault("CommitThenFail", ("reset", true))),
    ];

    private static readonly (string Verb, string Group, string Resource, string? Subresource)[] Writes =
    [
        ("update", "", "secrets", null),
        ("patch", "", "secrets", null),
        ("create", "", "secrets", null),
        ("update", "sshtunnels.io", "sshtunnelconnections", "status"),
        ("create", "", "events", null),
        ("update", "coordination.k8s.io", "leases", null),
    ];

    private static readonly (string Verb, string Group, string Resource, string? Subresource)[] Reads =
    [
        ("get", "", "secrets", null),
        ("get", "sshtunnels.io", "sshtunnelconnections", null),
    ];

    /// <summary>A random fault on a random request kind: its name for the figures, the match and the fault.</summary>
    public static (string Name, JsonObject Match, JsonObject Fault) Pick(Random random)
    {
        // Writes are where "exactly once" is at stake: they take three faults in four.
        var write = random.Next(4) > 0;
        var (verb, group, resource, subresource) = write ? Writes[random.Next(Writes.Length)] : Reads[random.Next(Reads.Length)];
        var menu = write ? WriteFaults : ReadFaults;
        var (name, fault) = menu[random.Next(menu.Length)];
        var match = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource, ["subresource"] = subresource };
        return ($"{name} on {verb} {resource}{(subresource is null ? "" : "/" + subresource)}", match, fault.DeepClone().AsObject());
    }

    /// <summary>The name of the fault alone, as the figures group them.</summary>
    public static string Kind(string name) => name[..name.IndexOf(" on ", StringComparison.Ordinal)];

    private static JsonObject Fault(string type, params (string Key, JsonNode Value)[] fields)
    {
        var fault = new JsonObject { ["type"] = type };
        foreach (var (key, value) in fields)
        {
            fault[key] = value;
        }

        return fault;
    }
}
