using System.Globalization;
using System.Text;

namespace Audiobook.Bench;

/// <summary>The table the benchmark prints and writes to bench/results/latest.md: each figure with its goal.</summary>
public sealed class Report
{
    private readonly List<(string Measure, string Figure, string Goal, bool? Met)> rows = [];
    private readonly List<string> notes = [];

    public void Add(string measure, string figure, string goal, bool? met)
    {
        rows.Add((measure, figure, goal, met));
        Console.WriteLine($"  {measure}: {figure} (goal {goal}) {Verdict(met)}");
    }

    public void Note(string note)
    {
        notes.Add(note);
        Console.WriteLine("  " + note);
    }

    public string ToMarkdown(string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}.");
        text.AppendLine();
        text.AppendLine("| measure | figure | goal | |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (measure, figure, goal, met) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {figure} | {goal} | {Verdict(met)} |");
        }
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine("- " + note);
            }
        }
        return text.ToString();
    }

    private static string Verdict(bool? met) => met switch { true => "met", false => "**missed**", null => "" };
}
