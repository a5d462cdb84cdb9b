using Amazon.Runtime;
using Audiobook.Api.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Audiobook.Api.Http;

/// <summary>
/// Turns the exceptions a request can meet into problem details: malformed requests (bad JSON,
/// wrong types, bodies too large) are the client's 4xx, never a 500; a storage outage is a 503
/// with Retry-After, so clients back off instead of giving up.
/// </summary>
public sealed class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Malformed request",
                },
                Detail = Describe(bad),
            },
            WriteContentionException => Contended(context, exception),
            AmazonServiceException service when IsTransient(service) => Unavailable(context, exception),
            AmazonClientException or HttpRequestException or TimeoutException => Unavailable(context, exception),
            // A storage call that timed out (not the client hanging up) is an outage too.
            OperationCanceledException when !context.RequestAborted.IsCancellationRequested => Unavailable(context, exception),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>AWS answered "try later": a server error, or throttling (which AWS reports as a 400).</summary>
    private static bool IsTransient(AmazonServiceException exception) =>
        exception.StatusCode >= System.Net.HttpStatusCode.InternalServerError
        || exception.InnerException is HttpRequestException or IOException or TimeoutException or OperationCanceledException
        || exception.ErrorCode is "ThrottlingException" or "ProvisionedThroughputExceededException" or "RequestLimitExceeded" or "SlowDown" or "TooManyRequestsException";

    private ProblemDetails Unavailable(HttpContext context, Exception exception)
    {
        logger.LogWarning(exception, "Storage unavailable while serving {Path}", context.Request.Path);
        context.Response.Headers.RetryAfter = "5";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service temporarily unavailable",
            Detail = "Storage did not answer. Nothing was changed by this request; retry in a few seconds.",
        };
    }

    private ProblemDetails Contended(HttpContext context, Exception exception)
    {
        logger.LogWarning(exception, "Write contention while serving {Path}", context.Request.Path);
        context.Response.Headers.RetryAfter = "1";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service temporarily unavailable",
            Detail = "Other changes to the same item kept arriving first. Nothing was changed by this request; retry in a moment.",
        };
    }

    /// <summary>The JSON reader's message names the path and the problem, never a stack trace.</summary>
    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        System.Text.Json.JsonException { Path: { Length: > 0 } path } => $"The request body is not valid JSON for this call: the value at {path} is missing, malformed or of the wrong type.",
        System.Text.Json.JsonException => "The request body is not valid JSON.",
        _ => bad.Message,
    };
}
