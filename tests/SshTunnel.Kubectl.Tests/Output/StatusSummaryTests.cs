using k8s.Models;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Tests.Output;

public sealed class StatusSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("True", "Authenticated", "True", "Authenticated", "True", "Reconciled", "Next: nothing to fix: the bastion accepts both keys")]
    [InlineData("True", "Authenticated", "False", "AuthenticationFailed", "True", "Reconciled", "Next: the bastion refuses key 2")]
    [InlineData("False", "AuthenticationFailed", "False", "AuthenticationFailed", "False", "ValidationFailed", "Next: the bastion refuses key 1")]
    [InlineData("True", "Authenticated", "False", "AuthenticationFailed", "False", "RotationBlocked", "Next: a rotation waits: install key 2.")]
    [InlineData("Unknown", "ValidationPending", "Unknown", "ValidationPending", "False", "ValidationPending", "Next: wait for the first probe")]
    public void TheNextStepFollowsWhatTheBastionAccepts(
        string validated, string validatedReason, string secondary, string secondaryReason, string ready, string readyReason, string expected)
    {
        var summary = StatusSummary.Render(Connection(validate: true, Condition(ConditionTypes.Ready, ready, readyReason, "install key 2."), Condition(ConditionTypes.Validated, validated, validatedReason), Condition(ConditionTypes.SecondaryKeyAuthorized, secondary, secondaryReason)), Now);

        Assert.Contains(expected, summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TimesAreAbsoluteAndRelative()
    {
        var connection = Connection(validate: true);
        connection.Status = connection.Status! with
        {
            NextValidationTime = Now.AddMinutes(10),
            Rotation = new RotationStatus { Count = 3, Handled = "7", LastRotationTime = Now.AddHours(-2) },
        };

        var summary = StatusSummary.Render(connection, Now);

        Assert.Contains("Next validation:      2026-12-02 12:10:00Z (in 10m)", summary, StringComparison.Ordinal);
        Assert.Contains("Rotations:            3, last 2026-12-02 10:00:00Z (2h ago) (rotate-keys handled: 7)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ASpecNotInEffectYetIsShownBesideTheConnectionInEffect()
    {
        var connection = Connection(validate: true);
        connection.Spec.Host = "new-bastion.example.com";

        var summary = StatusSummary.Render(connection, Now);

        Assert.Contains("Connection in effect: materialize@bastion.example.com:22", summary, StringComparison.Ordinal);
        Assert.Contains("Spec asks for:        materialize@new-bastion.example.com:22 (not in effect yet)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void NoStatusSaysTheOperatorHasNotHandledIt() =>
        Assert.Contains("No status yet", StatusSummary.Render(new SshTunnelConnection { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default" } }, Now), StringComparison.Ordinal);

    private static SshTunnelConnection Connection(bool validate, params Condition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "warehouse", NamespaceProperty = "default" },
        Spec = new ConnectionSpec { Host = "bastion.example.com", User = "materialize", Validate = validate },
        Status = new ConnectionStatus
        {
            Connection = new ConnectionParameters("bastion.example.com", 22, "materialize"),
            PublicKey1Fingerprint = "SHA256:one",
            PublicKey2Fingerprint = "SHA256:two",
            Conditions = conditions,
        },
    };

    private static Condition Condition(string type, string status, string reason, string message = "") =>
        new() { Type = type, Status = status, Reason = reason, Message = message };
}
