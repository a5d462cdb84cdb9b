namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// What a template is resolved against: the stack's parameter values (defaults fill the rest), the
/// account and Region, the exports of the stacks it imports from, and the stand-ins.
/// </summary>
public sealed record TemplateContext(
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Exports,
    StandIns StandIns,
    string Region = "us-east-1",
    string AccountId = "123456789012")
{
    public string Import(string exportName) => Exports.TryGetValue(exportName, out var value)
        ? value
        : throw new KeyNotFoundException($"No stack exports '{exportName}' (known: {string.Join(", ", Exports.Keys)}).");
}
