using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

/// <summary>The project's CRD files (crds/*.yaml) as the engine compiles them.</summary>
internal static class ProjectCrds
{
    /// <summary>The storage version of a CRD file, with the CRD's kind added under <c>kind</c>.</summary>
    public static JsonObject StorageVersion(string crdFile)
    {
        var crd = YamlJson.Parse(File.ReadAllText(crdFile)).AsObject();
        var version = crd["spec"]!["versions"]!.AsArray().Single(v => v!["storage"]!.GetValue<bool>())!.AsObject().DeepClone().AsObject();
        version["kind"] = crd["spec"]!["names"]!["kind"]!.DeepClone();
        return version;
    }

    /// <summary>The JSON of the printer column <paramref name="name"/> for <paramref name="obj"/>, or null for an empty cell.</summary>
    public static string? Cell(PrinterColumnSet columns, JsonObject obj, string name) =>
        columns.Cells(obj)[columns.Columns.ToList().FindIndex(c => c.Name == name)]?.ToJsonString();
}
