namespace Audiobook.Api.Http;

/// <summary>
/// <c>{bookId:id}</c>: matches only a well-formed id, so anything else is a plain 404 before any
/// handler runs — and routes read as "/api/v1/books/{bookId:id}" in traces and logs.
/// </summary>
public sealed class IdRouteConstraint : IRouteConstraint
{
    public const string Name = "id";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Ids.IsValid(value as string);
}
