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

    /// <summary>
    /// Starts reading the parameters under <c>Secrets:ParameterPath</c> (when that setting is present)
    /// and returns at once, so that the round trip to SSM, and the AWS SDK's first use, run while the
    /// services are composed. <see cref="AddSsmParameters"/> waits for them.
    /// </summary>
    public static SsmParameterSource? StartLoadingSsmParameters(this IHostApplicationBuilder builder)
    {
        var path = builder.Configuration[PathSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        if (!path.StartsWith('/') || !path.EndsWith('/'))
        {
            throw new InvalidOperationException($"{PathSetting} must start and end with '/', for example /audiobook/production/ (was '{path}').");
        }
        return SsmParameterSource.Start(path, () => new AmazonSimpleSystemsManagementClient());
    }

    /// <summary>Adds the parameters being read: waits for them, or throws why they could not be read.</summary>
    public static void AddSsmParameters(this IConfigurationBuilder configuration, SsmParameterSource? parameters)
    {
        if (parameters is not null)
        {
            configuration.Add(parameters);
        }
    }
}

public sealed class SsmParameterSource : IConfigurationSource
{
    private readonly string path;
    private readonly Task<Dictionary<string, string?>> loading;

    private SsmParameterSource(string path, Task<Dictionary<string, string?>> loading)
    {
        this.path = path;
        this.loading = loading;
    }

    internal static SsmParameterSource Start(string path, Func<IAmazonSimpleSystemsManagement> createClient) =>
        new(path, Task.Run(() => FetchAsync(path, createClient)));

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SsmParameterProvider(this);

    internal Dictionary<string, string?> Wait()
    {
        try
        {
            return loading.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is AmazonSimpleSystemsManagementException or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            // Never include values here: only the path and the reason.
            throw new InvalidOperationException(
                $"Could not read secrets from SSM Parameter Store under '{path}' ({SsmParameterConfiguration.PathSetting}): {ex.Message}", ex);
        }
    }

    private static async Task<Dictionary<string, string?>> FetchAsync(string path, Func<IAmazonSimpleSystemsManagement> createClient)
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
                data[ToKey(path, parameter.Name)] = parameter.Value;
            }
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
        return data;
    }

    internal static string ToKey(string path, string name) => name[path.Length..].Replace('/', ':');
}

internal sealed class SsmParameterProvider(SsmParameterSource source) : ConfigurationProvider
{
    public override void Load() => Data = source.Wait();
}
