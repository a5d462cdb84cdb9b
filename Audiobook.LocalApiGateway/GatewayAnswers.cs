namespace Audiobook.LocalApiGateway;

/// <summary>The answers API Gateway itself gives (not the function): a status and {"message": "..."}.</summary>
public static class GatewayAnswers
{
    public static async ValueTask WriteAsync(HttpContext context, int status, string message, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["apigw-requestid"] = context.TraceIdentifier;
        await context.Response.WriteAsJsonAsync(new Message(message), ct);
    }

    private sealed record Message(string message);
}
