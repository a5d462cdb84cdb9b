namespace Audiobook.Api.Http;

/// <summary>Identifiers: UUIDv7 as 32 lower-case hex digits, so they sort by creation time.</summary>
public static class Ids
{
    /// <summary>Route constraint for an id segment: anything else is simply not found.</summary>
    public const string Constraint = "regex(^[0-9a-f]{{32}}$)";

    /// <summary>A route parameter that only matches a well-formed id, e.g. <c>{bookId:regex(...)}</c>.</summary>
    public static string Route(string name) => "{" + name + ":" + Constraint + "}";

    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsValid(string? value) =>
        value is { Length: 32 } && value.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
