using System.ComponentModel.DataAnnotations;

namespace Audiobook.LocalApiGateway;

/// <summary>
/// What the gateway stands in for, as the AppHost resolves it from aws/service.yaml: the HTTP API's
/// domain, its stage's throttling and its Lambda integration's timeout, and where the function listens.
/// </summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Where the function listens (the Lambda Web Adapter's port).</summary>
    [Required]
    public Uri? Function { get; set; }

    /// <summary>The domain API Gateway serves the API on: the Host the function sees, {api-id}.execute-api.{region}.amazonaws.com.</summary>
    [Required]
    public string ApiHost { get; set; } = "";

    /// <summary>The stage's steady rate, requests per second (HttpApiStage.DefaultRouteSettings.ThrottlingRateLimit).</summary>
    [Range(1, 100_000)]
    public int ThrottlingRateLimit { get; set; }

    /// <summary>The stage's burst (ThrottlingBurstLimit): the token bucket's size.</summary>
    [Range(1, 100_000)]
    public int ThrottlingBurstLimit { get; set; }

    /// <summary>The integration's timeout (HttpApiIntegration.TimeoutInMillis): past it, API Gateway answers 503.</summary>
    public TimeSpan IntegrationTimeout { get; set; } = TimeSpan.FromSeconds(29);
}
