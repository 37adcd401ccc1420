namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>What the chaos checker fails on.</summary>
public enum ViolationKind
{
    /// <summary>One rotate-keys bump led to more than one promotion, or a promotion nobody asked for.</summary>
    DoubleRotation,

    /// <summary>The keys changed without pair 2 becoming pair 1: the pair a bastion may already trust was dropped.</summary>
    LostPairTwo,

    /// <summary>The status published keys or a rotation the Secret does not hold (ever, or once converged).</summary>
    StatusMismatch,

    /// <summary>Private key material in the operator's logs.</summary>
    KeyInLogs,

    /// <summary>The connections did not reach their final state within the bound after the last kill.</summary>
    NotConverged,
}
