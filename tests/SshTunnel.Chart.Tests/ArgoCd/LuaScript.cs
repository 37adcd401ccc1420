using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.ArgoCd;

/// <summary>
/// Runs one of the chart's Argo CD Lua scripts with the real Lua interpreter (Debian's lua5.4,
/// or LUA), through harness.lua, against an object given as JSON.
/// </summary>
public static class LuaScript
{
    public static string Interpreter { get; } = Locate();

    public static string Path(string relative) => System.IO.Path.Combine(RepositoryPaths.ArgoCd, relative);

    /// <summary>Runs the script with <paramref name="obj"/> as the global <c>obj</c>; returns what it returned.</summary>
    public static async Task<JsonNode?> RunAsync(string relativeScript, JsonObject obj)
    {
        var objectFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chart-tests-" + Guid.NewGuid().ToString("N") + ".lua");
        await File.WriteAllTextAsync(objectFile, "return " + ToLuaLiteral(obj) + "\n");
        try
        {
            var harness = System.IO.Path.Combine(AppContext.BaseDirectory, "ArgoCd", "harness.lua");
            var result = (await ProcessRunner.RunAsync(Interpreter, harness, Path(relativeScript), objectFile)).Succeeded();
            return JsonNode.Parse(result.Output);
        }
        finally
        {
            File.Delete(objectFile);
        }
    }

    /// <summary>A JSON tree as a Lua table constructor; JSON nulls become absent keys, as Argo CD's conversion does.</summary>
    public static string ToLuaLiteral(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject item => "{" + string.Join(",", item.Where(entry => entry.Value is not null)
            .Select(entry => "[" + LuaString(entry.Key) + "]=" + ToLuaLiteral(entry.Value))) + "}",
        JsonArray list => "{" + string.Join(",", list.Select(ToLuaLiteral)) + "}",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => LuaString(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            var kind => throw new NotSupportedException("JSON value " + kind),
        },
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static string LuaString(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                literal.Append((char)b);
            }
            else
            {
                literal.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return literal.Append('"').ToString();
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("LUA");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return ProcessRunner.FindOnPath("lua5.4", "lua")
            ?? throw new InvalidOperationException("No Lua interpreter: install Debian's lua5.4 or set LUA");
    }
}
