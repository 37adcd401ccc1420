using System.Text.Json.Nodes;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>
/// The runner really is Argo CD's sandbox: what the scripts may not use is missing there, as in
/// Argo CD (util/lua/lua.go: SkipOpenLibs, then package, base, table and a reduced os).
/// </summary>
public sealed class SandboxTests
{
    [Theory]
    [InlineData("math.floor(1)")]
    [InlineData("string.format('%d', 1)")]
    [InlineData("os.time()")]
    [InlineData("io.write('x')")]
    public async Task A_library_Argo_CD_does_not_open_is_an_error(string call)
    {
        var result = await RunAsync("return { status = tostring(" + call + ") }");

        Assert.Contains("attempt to index a non-table object(nil)", result.Failed().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base_table_and_the_required_reduced_os_are_there()
    {
        var result = await RunAsync(
            "local os = require('os')\n" +
            "return { status = 'Healthy', message = type(tonumber) .. ' ' .. type(table.concat) .. ' ' .. type(os.time) .. ' ' .. type(os.date) .. ' ' .. type(os.exit) }");

        Assert.Equal("function function function function nil", (string?)JsonNode.Parse(result.Succeeded().Output)?["message"]);
    }

    private static async Task<ProcessResult> RunAsync(string script)
    {
        var file = Path.Combine(Path.GetTempPath(), "chart-sandbox-" + Guid.NewGuid().ToString("N") + ".lua");
        await File.WriteAllTextAsync(file, script);
        try
        {
            return await ArgoCdLua.RunAsync("health", file, new JsonObject { ["metadata"] = new JsonObject() });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
