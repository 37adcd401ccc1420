namespace Kube.Emulator.Schema;

/// <summary>
/// One column of a CRD's table output, as the real server lists it in <c>columnDefinitions</c>.
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority);
