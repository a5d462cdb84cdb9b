// Secrets live in SSM Parameter Store (SecureString), locally in the emulator's, in AWS in the real
// one. This small configuration provider loads every parameter under one path at start-up:
// "/audiobook/production/Jwt/SigningKey" becomes the configuration key "Jwt:SigningKey".
// (Amazon.Extensions.Configuration.SystemsManager does the same but is not served by our feed.)
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Audiobook.Api.Secrets;

public static class SsmParameterConfiguration
{
    public const string PathSetting = "Secrets:ParameterPath";

    /// <summary>Adds the parameters under <c>Secrets:ParameterPath</c>, when that setting is present.</summary>
    public static IHostApplicationBuilder AddSsmParameters(this IHostApplicationBuilder builder)
    {
        var path = builder.Configuration[PathSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder;
        }
        if (!path.StartsWith('/') || !path.EndsWith('/'))
        {
            throw new InvalidOperationException($"{PathSetting} must start and end with '/', for example /audiobook/production/ (was '{path}').");
        }
        builder.Configuration.Add(new SsmParameterSource(path, () => new AmazonSimpleSystemsManagementClient()));
        return builder;
    }
}

internal sealed class SsmParameterSource(string path, Func<IAmazonSimpleSystemsManagement> createClient) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SsmParameterProvider(path, createClient);
}

internal sealed class SsmParameterProvider(string path, Func<IAmazonSimpleSystemsManagement> createClient) : ConfigurationProvider
{
    public override void Load()
    {
        try
        {
            Data = LoadAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is AmazonSimpleSystemsManagementException or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            // Never include values here: only the path and the reason.
            throw new InvalidOperationException(
                $"Could not read secrets from SSM Parameter Store under '{path}' ({SsmParameterConfiguration.PathSetting}): {ex.Message}", ex);
        }
    }

    private async Task<Dictionary<string, string?>> LoadAsync()
    {
        using var client = createClient();
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? next = null;
        do
        {
            var page = await client.GetParametersByPathAsync(new GetParametersByPathRequest
            {
                Path = path,
                Recursive = true,
                WithDecryption = true,
                NextToken = next,
            });
            foreach (var parameter in page.Parameters ?? [])
            {
                data[ToKey(parameter.Name)] = parameter.Value;
            }
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
        return data;
    }

    internal string ToKey(string name) => name[path.Length..].Replace('/', ':');
}
