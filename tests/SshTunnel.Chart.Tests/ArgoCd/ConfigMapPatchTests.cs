using Kube.Emulator.Objects;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>argocd-cm-patch.yaml carries the very scripts the other tests run.</summary>
public sealed class ConfigMapPatchTests
{
    private const string Key = "sshtunnels.io_SshTunnelConnection";

    [Fact]
    public void The_argocd_cm_patch_embeds_the_health_check_and_the_action_unchanged()
    {
        var patch = YamlJson.Parse(File.ReadAllText(ArgoCdLua.Path("argocd-cm-patch.yaml")));
        var data = patch["data"]!;
        var actions = YamlJson.Parse((string)data["resource.customizations.actions." + Key]!)!;
        var definition = Assert.Single(actions["definitions"]!.AsArray());

        Assert.Equal("argocd-cm", (string?)patch["metadata"]?["name"]);
        Assert.Equal(File.ReadAllText(ArgoCdLua.Path("health.lua")), (string?)data["resource.customizations.health." + Key]);
        Assert.Equal(File.ReadAllText(ArgoCdLua.Path("actions/discovery.lua")), (string?)actions["discovery.lua"]);
        Assert.Equal("rotate-keys", (string?)definition!["name"]);
        Assert.Equal(File.ReadAllText(ArgoCdLua.Path("actions/rotate-keys/action.lua")), (string?)definition["action.lua"]);
    }

    [Fact]
    public void The_argocd_cm_patch_registers_the_port_forward_health_check_unchanged()
    {
        var data = YamlJson.Parse(File.ReadAllText(ArgoCdLua.Path("argocd-cm-patch.yaml")))["data"]!;

        Assert.Equal(File.ReadAllText(ArgoCdLua.Path("SshPortForward/health.lua")), (string?)data["resource.customizations.health.sshtunnels.io_SshPortForward"]);
    }
}
