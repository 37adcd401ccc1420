using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>One write of the key Secret: its full contents, or for a promotion the entries the patch sets.</summary>
/// <param name="Kind">Create, replace, or promote.</param>
/// <param name="Contents">The whole Secret; for <see cref="SecretWriteKind.Promote"/> its type, owner and labels and only the data entries and annotations the patch sets.</param>
/// <param name="ExpectedResourceVersion">For a replace or a promotion, the resourceVersion precondition; null for a create.</param>
/// <param name="Verdict">The <see cref="KeySecretVerdict"/> the Secret gets once it holds exactly <paramref name="Contents"/>' data and annotations, so a cache need not read the written Secret back to make it.</param>
/// <param name="RotationsAdded">How many rotations this write carries out: its rotation count less the Secret's it replaces (0 for a create, which carries the count over from status).</param>
public sealed record SecretWrite(SecretWriteKind Kind, SecretContents Contents, string? ExpectedResourceVersion, KeySecretVerdict Verdict, long RotationsAdded = 0);
