using Xunit.Abstractions;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// The chaos suite: a storm of rotations with kills, faults, watch closes, compaction and
/// handovers (<see cref="ChaosRun"/>), then every recorded version read by the checker. Short in
/// CI; <c>SSHTUNNEL_CHAOS_MODE=long</c> on a benchmark machine (see <see cref="ChaosSettings"/>).
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class ChaosSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_storm_of_rotations_kills_faults_and_handovers_breaks_no_promise()
    {
        var settings = ChaosSettings.FromEnvironment();
        output.WriteLine("chaos: " + settings);
        var folder = Directory.CreateTempSubdirectory("chaos-");
        try
        {
            var logPath = Path.Combine(folder.FullName, "operator.log");
            await using var run = await ChaosRun.RunAsync(settings, logPath, output.WriteLine);
            run.History.LogLines = File.ReadLines(logPath);

            var violations = ChaosChecker.Check(run.History);
            run.Figures.Violations = violations.Count;
            output.WriteLine("chaos: " + run.Figures);

            Assert.True(violations.Count == 0, $"chaos {settings}:\n{string.Join('\n', violations.Take(50))}\n{run.Figures}");
            Assert.Equal(settings.Connections, run.History.Final.Count);
            Assert.True(run.Figures.Kills > 0 && run.Figures.Rotations > 0, "the storm killed nothing or rotated nothing: " + run.Figures);
            Assert.True(run.Figures.HungStatusWrite < TimeSpan.FromSeconds(30), "a hung status write held the rotation as long as the client's own timeout: " + run.Figures);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
