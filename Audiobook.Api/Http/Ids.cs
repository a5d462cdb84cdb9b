namespace Audiobook.Api.Http;

/// <summary>Identifiers: UUIDv7 as 32 lower-case hex digits, so they sort by creation time.</summary>
public static class Ids
{
    /// <summary>A route parameter that only matches a well-formed id: <c>{bookId:id}</c> (see <see cref="IdRouteConstraint"/>).</summary>
    public static string Route(string name) => "{" + name + ":" + IdRouteConstraint.Name + "}";

    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsValid(string? value) =>
        value is { Length: 32 } && value.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
