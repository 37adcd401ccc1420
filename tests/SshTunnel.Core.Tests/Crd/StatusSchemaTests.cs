using System.Text.Json;
using Json.Schema;
using SshTunnel.Core.Model;
using SshTunnel.Core.Tests.Support;
using SshTunnel.Core.Validation;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>
/// The JSON the model serializes to is accepted by the CRD's OpenAPI schema (types, formats,
/// enums, patterns, lengths), so the API server never refuses a status the operator publishes.
/// </summary>
public sealed class StatusSchemaTests
{
    private static JsonSchema SchemaOf(string field) => SchemaText.Of(RepositoryPaths.CrdFile, field);

    [Fact]
    public void A_fully_populated_status_is_accepted()
    {
        var world = new ReconcileWorld(validate: true, rotateKeys: "1");
        world.Step();
        world.Bastion.Authorize(world.Status!.PublicKey1);
        world.Bastion.Authorize(world.Status.PublicKey2);
        world.Converge();
        world.RotateKeys = "2";
        world.Converge();

        Assert.NotNull(world.Status.Rotation!.LastRotationTime);
        Assert.NotNull(world.Status.LastValidationTime);
        Assert.NotNull(world.Status.HostKeyFingerprint);
        AssertValid(SchemaOf("status"), JsonSerializer.SerializeToElement(world.Status));
    }

    [Fact]
    public void A_blocked_and_a_failing_status_are_accepted()
    {
        var world = new ReconcileWorld(validate: true, rotateKeys: "later");
        world.Bastion.Failure = ProbeOutcome.ConnectionRefused;
        world.RunProbe(world.Step());
        world.Step();
        AssertValid(SchemaOf("status"), JsonSerializer.SerializeToElement(world.Status));

        world.Secret = world.Secret! with { ControllerOwnerUid = null };
        world.Step();
        AssertValid(SchemaOf("status"), JsonSerializer.SerializeToElement(world.Status));
    }

    [Fact]
    public void The_schema_check_is_not_vacuous()
    {
        var status = new ConnectionStatus
        {
            Conditions = [new Condition { Type = "Ready", Status = "Maybe", Reason = "not a reason!", LastTransitionTime = DateTimeOffset.UnixEpoch }],
        };

        Assert.False(SchemaText.IsValid(SchemaOf("status"), JsonSerializer.SerializeToElement(status)));
        Assert.False(SchemaText.IsValid(SchemaOf("status"), JsonSerializer.SerializeToElement(new { lastValidationTime = "yesterday" })));
    }

    [Fact]
    public void A_serialized_spec_with_all_fields_is_accepted()
    {
        var spec = new ConnectionSpec { Host = "bastion.example.com", Port = 2222, User = "mz", Validate = true, HostKey = FakeBastion.HostKeyLine };

        AssertValid(SchemaOf("spec"), JsonSerializer.SerializeToElement(spec));
    }

    private static void AssertValid(JsonSchema schema, JsonElement instance) => SchemaText.AssertValid(schema, instance);
}
