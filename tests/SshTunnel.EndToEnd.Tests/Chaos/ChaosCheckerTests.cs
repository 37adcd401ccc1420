using System.Security.Cryptography;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>The checker on recorded histories: a clean one passes, and each broken promise is named.</summary>
public sealed class ChaosCheckerTests
{
    private const string Connection = "chaos-0000";
    private static readonly (string Public, string Private)[] Keys = [.. Enumerable.Range(0, 6).Select(_ => NewPair())];

    [Fact]
    public void A_history_of_two_rotations_each_asked_for_once_has_no_violation()
    {
        var history = Clean();

        Assert.Empty(ChaosChecker.Check(history));
    }

    [Fact]
    public void Two_promotions_for_one_bump_are_a_double_rotation()
    {
        var history = Clean();
        history.Secrets.Add(Version(50, 3, 4, count: 3, handled: 1002));

        var violations = ChaosChecker.Check(history);

        Assert.Contains(violations, violation => violation.Kind == ViolationKind.DoubleRotation && violation.Detail.Contains("already handled", StringComparison.Ordinal));
        Assert.Contains(violations, violation => violation.Kind == ViolationKind.DoubleRotation && violation.Detail.Contains("3 promotions for 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_promotion_for_a_value_never_written_is_a_double_rotation()
    {
        var history = Clean();
        history.Bumps[Connection] = [1001];

        var violations = ChaosChecker.Check(history);

        Assert.Contains(violations, violation => violation.Kind == ViolationKind.DoubleRotation && violation.Detail.Contains("never written", StringComparison.Ordinal));
    }

    [Fact]
    public void New_keys_that_do_not_promote_pair_2_lose_pair_2()
    {
        var history = Clean();
        history.Secrets.Add(Version(50, 4, 5, count: 3, handled: 1002));

        var violation = Assert.Single(ChaosChecker.Check(history));

        Assert.Equal(ViolationKind.LostPairTwo, violation.Kind);
        Assert.Contains("resourceVersion 30", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Pair_2_replaced_while_pair_1_stays_loses_pair_2()
    {
        var history = Clean();
        history.Secrets.Add(Version(50, 2, 5, count: 2, handled: 1002));

        Assert.Equal(ViolationKind.LostPairTwo, Assert.Single(ChaosChecker.Check(history)).Kind);
    }

    [Fact]
    public void Two_rotations_inside_a_relist_gap_are_counted_not_taken_for_a_lost_pair()
    {
        var history = Clean();
        history.Secrets.RemoveAll(version => version.ResourceVersion == 20);
        history.Gaps.Add(15);

        Assert.Empty(ChaosChecker.Check(history));
    }

    [Fact]
    public void A_converged_status_that_differs_from_the_Secret_is_a_mismatch()
    {
        var history = Clean();
        history.Final[Connection] = (history.Secrets[^1], new StatusVersion(Connection, 41, Keys[1].Public, Keys[2].Public, 1, 1001));

        var violations = ChaosChecker.Check(history);

        Assert.Equal(2, violations.Count(violation => violation.Kind == ViolationKind.StatusMismatch));
    }

    [Fact]
    public void A_converged_Secret_behind_the_last_bump_is_a_mismatch()
    {
        var history = Clean();
        history.Bumps[Connection].Add(1003);

        Assert.Contains(ChaosChecker.Check(history), violation => violation.Kind == ViolationKind.StatusMismatch && violation.Detail.Contains("1003", StringComparison.Ordinal));
    }

    [Fact]
    public void A_status_publishing_a_pair_the_Secret_never_held_is_a_mismatch()
    {
        var history = Clean();
        history.Statuses.Add(new StatusVersion(Connection, 25, Keys[0].Public, Keys[2].Public, 1, 1001));

        var violation = Assert.Single(ChaosChecker.Check(history));

        Assert.Equal(ViolationKind.StatusMismatch, violation.Kind);
        Assert.Contains("resourceVersion 25", violation.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("armour")]
    [InlineData("body")]
    [InlineData("json")]
    [InlineData("secret data")]
    public void Private_key_material_in_a_log_line_is_found(string form)
    {
        var history = Clean();
        var body = Keys[3].Private.Split('\n')[1];
        history.LogLines =
        [
            """{"Message":"Rotated keys","Object":"default/chaos-0000"}""",
            form switch
            {
                "armour" => "-----BEGIN OPENSSH PRIVATE KEY-----",
                "body" => "key " + body[5..],
                "json" => """{"Message":"x","State":{"Key":" """ + body.Replace("+", "\\u002B", StringComparison.Ordinal) + "\"}}",
                _ => "data " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Keys[3].Private))[70..160],
            },
        ];

        var violation = Assert.Single(ChaosChecker.Check(history));

        Assert.Equal(ViolationKind.KeyInLogs, violation.Kind);
        Assert.Contains("log line 2", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_in_a_log_line_is_not_private_material()
    {
        var history = Clean();
        history.LogLines = ["published " + Keys[3].Public];

        Assert.Empty(ChaosChecker.Check(history));
    }

    [Fact]
    public void Convergence_missing_or_after_the_bound_is_reported()
    {
        var late = Clean();
        late.ConvergedAfterLastKill = TimeSpan.FromSeconds(61);
        var never = Clean();
        never.ConvergedAfterLastKill = null;

        Assert.Equal(ViolationKind.NotConverged, Assert.Single(ChaosChecker.Check(late)).Kind);
        Assert.Contains("never", Assert.Single(ChaosChecker.Check(never)).Detail, StringComparison.Ordinal);
    }

    /// <summary>Keys 0 and 1, then two rotations (1002 asked after 1001): 1 and 2, then 2 and 3; the status follows.</summary>
    private static ChaosHistory Clean()
    {
        var history = new ChaosHistory { ConvergenceBound = TimeSpan.FromSeconds(60), ConvergedAfterLastKill = TimeSpan.FromSeconds(5) };
        history.Secrets.AddRange([Version(10, 0, 1, 0, null), Version(20, 1, 2, 1, 1001), Version(30, 2, 3, 2, 1002)]);
        history.Statuses.AddRange(
        [
            new StatusVersion(Connection, 9, null, null, 0, null),
            new StatusVersion(Connection, 11, Keys[0].Public, Keys[1].Public, 0, null),
            new StatusVersion(Connection, 21, Keys[1].Public, Keys[2].Public, 1, 1001),
            new StatusVersion(Connection, 31, Keys[2].Public, Keys[3].Public, 2, 1002),
        ]);
        history.Bumps[Connection] = [1001, 1002];
        history.Final[Connection] = (history.Secrets[^1], history.Statuses[^1]);
        history.LogLines = ["""{"Message":"Rotated keys","Object":"default/chaos-0000"}"""];
        return history;
    }

    private static SecretVersion Version(long resourceVersion, int pair1, int pair2, int count, long? handled) =>
        new(Connection, resourceVersion, Keys[pair1].Public, Keys[pair1].Private, Keys[pair2].Public, Keys[pair2].Private, count, handled);

    /// <summary>A key pair shaped as OpenSSH writes it: random bytes, so no two share a piece.</summary>
    private static (string Public, string Private) NewPair()
    {
        var publicKey = "ssh-ed25519 " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(51));
        var body = Convert.ToBase64String(RandomNumberGenerator.GetBytes(300));
        var lines = Enumerable.Range(0, (body.Length + 69) / 70).Select(index => body.Substring(index * 70, Math.Min(70, body.Length - (index * 70))));
        return (publicKey, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + string.Join('\n', lines) + "\n-----END OPENSSH PRIVATE KEY-----\n");
    }
}
