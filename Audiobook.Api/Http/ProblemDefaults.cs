using Microsoft.AspNetCore.Http.Features;

namespace Audiobook.Api.Http;

/// <summary>Gives the framework's own problem answers (401 challenges, unmatched routes) a useful detail.</summary>
public static class ProblemDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Detail ??= problem switch
        {
            HttpValidationProblemDetails => "Some fields are invalid: 'errors' says what to fix in each.",
            _ => DefaultDetail(problem.Status, context.HttpContext),
        };
        problem.Extensions.TryAdd("traceId", context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity.Id ?? context.HttpContext.TraceIdentifier);
    }

    private static string? DefaultDetail(int? status, HttpContext context) =>
        status switch
        {
            StatusCodes.Status401Unauthorized => "Sign in first and send the access token as 'Authorization: Bearer <accessToken>'.",
            StatusCodes.Status403Forbidden => "This account may not do that.",
            StatusCodes.Status404NotFound => $"There is nothing at {context.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            StatusCodes.Status400BadRequest => "The request is malformed.",
            StatusCodes.Status413PayloadTooLarge => "The request body is too large. Audio is never sent to the API: upload it to the URL from POST .../uploads.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
            StatusCodes.Status500InternalServerError => "Something went wrong on our side. It has been logged; please retry later.",
            _ => null,
        };
}
