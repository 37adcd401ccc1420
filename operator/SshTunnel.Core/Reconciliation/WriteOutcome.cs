namespace SshTunnel.Core.Reconciliation;

/// <summary>How one write of a plan ended, as far as the plan's order is concerned. Other failures are thrown.</summary>
public enum WriteOutcome
{
    /// <summary>The server took the write.</summary>
    Written,

    /// <summary>
    /// The object changed since it was read (409, or a replaced Secret that is gone): the rest of
    /// the plan is dropped, and the host reads again and decides again.
    /// </summary>
    Conflict,

    /// <summary>The connection itself is gone (404 on its status): nothing is left to tell.</summary>
    Gone,
}
