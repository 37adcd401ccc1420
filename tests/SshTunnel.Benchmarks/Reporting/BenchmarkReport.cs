using System.Text;

namespace SshTunnel.Benchmarks.Reporting;

/// <summary>The figures and notes of one run, rendered as markdown.</summary>
internal sealed class BenchmarkReport(string title)
{
    private readonly List<ResultRow> rows = [];
    private readonly List<string> notes = [];

    public void Add(string figure, string measured, string goal, bool? met)
    {
        rows.Add(new ResultRow(figure, measured, goal, met));
        Console.WriteLine($"  {figure}: {measured}{(met is null ? "" : met.Value ? "  [met]" : "  [NOT MET]")}");
    }

    public void Info(string figure, string measured) => Add(figure, measured, "-", null);

    public void Note(string note)
    {
        notes.Add(note);
        Console.WriteLine("  note: " + note);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine();
        text.AppendLine("| Figure | Measured | Goal | Met |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            var met = row.Met switch { true => "met", false => "**not met**", null => "-" };
            text.Append("| ").Append(Cell(row.Figure)).Append(" | ").Append(Cell(row.Measured)).Append(" | ")
                .Append(Cell(row.Goal)).Append(" | ").Append(met).AppendLine(" |");
        }

        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var note in notes)
            {
                text.Append("- ").AppendLine(note);
            }
        }

        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
