namespace SshTunnel.Operator.Observability;

/// <summary>What the scrape-time metrics read from the running operator's caches and queues.</summary>
public interface IOperatorState
{
    /// <summary>The connections' work queue.</summary>
    QueueState ConnectionQueue { get; }

    /// <summary>The port forwards' work queue.</summary>
    QueueState PortForwardQueue { get; }

    /// <summary>Whether the API server serves SshPortForward (its CRD is installed), as last checked.</summary>
    bool PortForwardsServed { get; }

    /// <summary>Events dropped so far because the event queue was full.</summary>
    long EventsDropped { get; }

    /// <summary>The status of each cached connection's Ready condition; null when it has none yet.</summary>
    IEnumerable<string?> ReadyStatuses();

    /// <summary>When each connection's key pairs were last generated or rotated.</summary>
    IEnumerable<DateTimeOffset> KeyTimes();
}
