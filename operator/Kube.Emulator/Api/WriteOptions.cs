namespace Kube.Emulator.Api;

/// <summary>Query options of a write: dryRun, fieldManager, fieldValidation; collects warnings for the Warning header.</summary>
internal sealed class WriteOptions
{
    public bool DryRun { get; init; }

    public string FieldManager { get; init; } = "unknown";

    /// <summary>Strict, Warn or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    public List<string> Warnings { get; } = [];

    public static WriteOptions Internal(string manager) => new() { FieldManager = manager, FieldValidation = "Ignore" };
}
