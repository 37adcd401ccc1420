using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>
/// The operator's RBAC is exactly what its code calls (informers list/watch, fresh gets, Secret
/// create/replace/patch, status PUT, Event create/replace, the LeaseLock's get/create/replace), with
/// no wildcard; the aggregated roles give view read access and edit/admin write access.
/// </summary>
public sealed class RbacTests
{
    private const string LeaseRoleName = ChartValues.FullName + "-leader-election";

    private static readonly PolicyRule[] OperatorRules =
    [
        PolicyRule.Of("sshtunnels.io", "sshtunnelconnections", "get", "list", "watch"),
        PolicyRule.Of("sshtunnels.io", "sshtunnelconnections/status", "update"),
        PolicyRule.Of("sshtunnels.io", "sshtunnelconnections/finalizers", "update"),
        PolicyRule.Of(string.Empty, "secrets", "get", "list", "watch", "create", "update", "patch"),
        PolicyRule.Of(string.Empty, "events", "create", "update"),
        PolicyRule.Of("sshtunnels.io", "sshportforwards", "get", "list", "watch"),
        PolicyRule.Of("sshtunnels.io", "sshportforwards/status", "update"),
        PolicyRule.Of("sshtunnels.io", "sshportforwards/finalizers", "update"),
        PolicyRule.Of("apps", "deployments", "get", "list", "watch", "create", "update"),
        PolicyRule.Of(string.Empty, "services", "get", "list", "watch", "create", "update"),
    ];

    private static readonly PolicyRule[] LeaseRules =
    [
        PolicyRule.Of("coordination.k8s.io", "leases", "create"),
        PolicyRule.Named("coordination.k8s.io", "leases", ChartValues.FullName, "get", "update"),
    ];

    [Fact]
    public async Task Watching_all_namespaces_binds_a_ClusterRole_with_exactly_the_operators_verbs()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var role = chart.Single("ClusterRole", ChartValues.FullName);
        var binding = chart.Single("ClusterRoleBinding", ChartValues.FullName);

        Assert.Equal(OperatorRules.ToHashSet(), PolicyRule.From(role));
        Assert.Equal("ClusterRole", (string?)binding["roleRef"]?["kind"]);
        Assert.Equal(ChartValues.FullName, (string?)binding["roleRef"]?["name"]);
        AssertBoundToServiceAccount(binding);
        Assert.Equal([LeaseRoleName], chart.OfKind("Role").Select(RenderedChart.NameOf));
    }

    [Fact]
    public async Task Watching_namespaces_puts_a_Role_and_RoleBinding_in_each_and_nothing_cluster_wide()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, ChartValues.Namespaced);

        var operatorRoles = chart.OfKind("Role").Where(role => RenderedChart.NameOf(role) == ChartValues.FullName).ToList();
        var operatorBindings = chart.OfKind("RoleBinding").Where(binding => RenderedChart.NameOf(binding) == ChartValues.FullName).ToList();

        Assert.Equal(["team-a", "team-b"], operatorRoles.Select(RenderedChart.NamespaceOf).Order());
        Assert.All(operatorRoles, role => Assert.Equal(OperatorRules.ToHashSet(), PolicyRule.From(role)));
        Assert.Equal(["team-a", "team-b"], operatorBindings.Select(RenderedChart.NamespaceOf).Order());
        Assert.All(operatorBindings, binding =>
        {
            Assert.Equal("Role", (string?)binding["roleRef"]?["kind"]);
            Assert.Equal(ChartValues.FullName, (string?)binding["roleRef"]?["name"]);
            AssertBoundToServiceAccount(binding);
        });
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.DoesNotContain(chart.OfKind("ClusterRole"), role => RenderedChart.NameOf(role) == ChartValues.FullName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_Lease_is_reachable_only_in_the_release_namespace(bool namespaced)
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, namespaced ? ChartValues.Namespaced : []);

        var leaseRole = chart.Single("Role", LeaseRoleName);
        var leaseBinding = chart.Single("RoleBinding", LeaseRoleName);
        var rolesMentioningLeases = chart.OfKind("Role").Concat(chart.OfKind("ClusterRole"))
            .Where(role => PolicyRule.AllEntries(role).Contains("leases"));

        Assert.Equal(ChartValues.ReleaseNamespace, RenderedChart.NamespaceOf(leaseRole));
        Assert.Equal(LeaseRules.ToHashSet(), PolicyRule.From(leaseRole));
        Assert.Equal(ChartValues.ReleaseNamespace, RenderedChart.NamespaceOf(leaseBinding));
        Assert.Equal(LeaseRoleName, (string?)leaseBinding["roleRef"]?["name"]);
        AssertBoundToServiceAccount(leaseBinding);
        Assert.Equal([leaseRole], rolesMentioningLeases);
    }

    [Fact]
    public async Task Without_leader_election_there_is_no_Lease_role()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "leaderElection.enabled=false");

        Assert.Empty(chart.OfKind("Role"));
        Assert.Empty(chart.OfKind("RoleBinding"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_rule_uses_a_wildcard(bool namespaced)
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, namespaced ? ChartValues.Namespaced : []);

        var entries = chart.OfKind("Role").Concat(chart.OfKind("ClusterRole")).SelectMany(PolicyRule.AllEntries).ToList();

        Assert.NotEmpty(entries);
        Assert.DoesNotContain(entries, entry => entry.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public async Task View_reads_connections_and_forwards_and_edit_and_admin_also_change_rotate_scale_and_delete_them()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var view = chart.Single("ClusterRole", ChartValues.FullName + "-view");
        var edit = chart.Single("ClusterRole", ChartValues.FullName + "-edit");

        Assert.Equal(["admin", "edit", "view"], AggregatedInto(view));
        Assert.Equal(
            new HashSet<PolicyRule>
            {
                PolicyRule.Of("sshtunnels.io", "sshtunnelconnections,sshtunnelconnections/status", "get", "list", "watch"),
                PolicyRule.Of("sshtunnels.io", "sshportforwards,sshportforwards/scale,sshportforwards/status", "get", "list", "watch"),
            },
            PolicyRule.From(view));
        Assert.Equal(["admin", "edit"], AggregatedInto(edit));
        Assert.Equal(
            new HashSet<PolicyRule>
            {
                PolicyRule.Of("sshtunnels.io", "sshtunnelconnections", "create", "update", "patch", "delete", "deletecollection"),
                PolicyRule.Of("sshtunnels.io", "sshportforwards,sshportforwards/scale", "create", "update", "patch", "delete", "deletecollection"),
            },
            PolicyRule.From(edit));
    }

    [Fact]
    public async Task Aggregated_roles_and_the_operators_rbac_can_be_turned_off()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "rbac.create=false", "rbac.aggregateToDefaultRoles=false");

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.Empty(chart.OfKind("Role"));
        Assert.Empty(chart.OfKind("RoleBinding"));
    }

    private static IEnumerable<string> AggregatedInto(JsonObject role) =>
        role["metadata"]!["labels"]!.AsObject()
            .Where(label => label.Key.StartsWith("rbac.authorization.k8s.io/aggregate-to-", StringComparison.Ordinal) && (string?)label.Value == "true")
            .Select(label => label.Key["rbac.authorization.k8s.io/aggregate-to-".Length..])
            .Order(StringComparer.Ordinal);

    private static void AssertBoundToServiceAccount(JsonObject binding)
    {
        var subject = Assert.Single(binding["subjects"]!.AsArray());
        Assert.Equal("ServiceAccount", (string?)subject!["kind"]);
        Assert.Equal(ChartValues.FullName, (string?)subject["name"]);
        Assert.Equal(ChartValues.ReleaseNamespace, (string?)subject["namespace"]);
    }
}
