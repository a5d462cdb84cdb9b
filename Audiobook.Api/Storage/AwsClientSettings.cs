using Amazon;
using Amazon.Runtime;

namespace Audiobook.Api.Storage;

/// <summary>
/// Where, in which region and as whom the AWS clients connect, read from configuration under the AWS
/// SDK's own variable names, so that whatever configures the API decides: the process environment on
/// Lambda and under the AppHost, settings when a test hosts the API in its own process.
/// <list type="bullet">
/// <item><c>AWS_ENDPOINT_URL</c>: the emulator's endpoint; unset in AWS.</item>
/// <item><c>AWS_REGION</c>: the region (Lambda sets it).</item>
/// <item><c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>: the credentials
/// (Lambda sets the function role's; the AppHost the emulator's). Unset: the SDK's own chain.</item>
/// </list>
/// </summary>
public sealed record AwsClientSettings(string? EndpointUrl, string? Region, AWSCredentials? Credentials)
{
    public static AwsClientSettings From(IConfiguration configuration)
    {
        var key = configuration["AWS_ACCESS_KEY_ID"];
        var secret = configuration["AWS_SECRET_ACCESS_KEY"];
        var token = configuration["AWS_SESSION_TOKEN"];
        AWSCredentials? credentials = string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret) ? null
            : string.IsNullOrEmpty(token) ? new BasicAWSCredentials(key, secret)
            : new SessionAWSCredentials(key, secret, token);
        return new(NullIfEmpty(configuration["AWS_ENDPOINT_URL"]), NullIfEmpty(configuration["AWS_REGION"]), credentials);
    }

    /// <summary>Points a client's configuration at the endpoint and region, when they are set.</summary>
    public TConfig Apply<TConfig>(TConfig config)
        where TConfig : ClientConfig
    {
        if (EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region;
        }
        else if (Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return config;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
