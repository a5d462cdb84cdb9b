// Secrets live in SSM Parameter Store (SecureString), locally in the emulator's, in AWS in the real
// one. This small configuration provider loads the parameters under one path at start-up:
// "/audiobook/production/Jwt/SigningKey" becomes the configuration key "Jwt:SigningKey". Only secrets
// come from there (DeclaredSecrets): any other parameter under the path stops start-up, named.
// (Amazon.Extensions.Configuration.SystemsManager does the same but is not served by our feed.)
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Storage;

namespace Audiobook.Api.Startup;

public static class SsmParameterConfiguration
{
    public const string PathSetting = "Secrets:ParameterPath";

    /// <summary>
    /// Starts reading the parameters before the application builder exists, when the environment or the
    /// command line names a well-formed <c>Secrets:ParameterPath</c> (as on Lambda and under the
    /// AppHost), and returns at once: the AWS SDK's first use and the round trip to SSM then run while
    /// the builder reads its configuration and the services are composed. Null when they name none;
    /// <see cref="StartLoadingSsmParameters(IHostApplicationBuilder, SsmParameterSource?)"/> decides.
    /// </summary>
    public static SsmParameterSource? StartLoadingSsmParameters(string[] args)
    {
        var configuration = EarlyConfiguration(args);
        return StartLoadingSsmParameters(configuration, () => CreateClient(configuration));
    }

    internal static SsmParameterSource? StartLoadingSsmParameters(string[] args, Func<IAmazonSimpleSystemsManagement> createClient) =>
        StartLoadingSsmParameters(EarlyConfiguration(args), createClient);

    private static SsmParameterSource? StartLoadingSsmParameters(IConfiguration configuration, Func<IAmazonSimpleSystemsManagement> createClient)
    {
        var path = configuration[PathSetting];
        return IsWellFormed(path) ? SsmParameterSource.Start(path!, createClient, DeclaredSecrets.Keys) : null;
    }

    /// <summary>What the process is told before the builder exists: its environment and command line.</summary>
    private static IConfiguration EarlyConfiguration(string[] args) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();

    /// <summary>
    /// The read of the parameters under the builder's <c>Secrets:ParameterPath</c> (none when the setting
    /// is absent): <paramref name="early"/> when it reads that path already, otherwise one started now.
    /// <see cref="AddSsmParameters"/> waits for it.
    /// </summary>
    public static SsmParameterSource? StartLoadingSsmParameters(this IHostApplicationBuilder builder, SsmParameterSource? early) =>
        builder.StartLoadingSsmParameters(early, () => CreateClient(builder.Configuration));

    internal static SsmParameterSource? StartLoadingSsmParameters(this IHostApplicationBuilder builder, SsmParameterSource? early, Func<IAmazonSimpleSystemsManagement> createClient)
    {
        var path = builder.Configuration[PathSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        if (!IsWellFormed(path))
        {
            throw new InvalidOperationException($"{PathSetting} must start and end with '/', for example /audiobook/production/ (was '{path}').");
        }
        return early?.Path == path ? early : SsmParameterSource.Start(path, createClient, DeclaredSecrets.Keys);
    }

    private static bool IsWellFormed(string? path) => path is not null && path.StartsWith('/') && path.EndsWith('/');

    /// <summary>An SSM client where configuration points it (<see cref="AwsClientSettings"/>).</summary>
    private static AmazonSimpleSystemsManagementClient CreateClient(IConfiguration configuration)
    {
        var aws = AwsClientSettings.From(configuration);
        var config = aws.Apply(new AmazonSimpleSystemsManagementConfig());
        return aws.Credentials is { } credentials ? new(credentials, config) : new(config);
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

    internal string Path => path;

    private SsmParameterSource(string path, Task<Dictionary<string, string?>> loading)
    {
        this.path = path;
        this.loading = loading;
    }

    /// <param name="declared">The configuration keys that may come from SSM; any other parameter under the path is refused.</param>
    internal static SsmParameterSource Start(string path, Func<IAmazonSimpleSystemsManagement> createClient, IReadOnlySet<string> declared) =>
        new(path, Task.Run(() => FetchAsync(path, createClient, declared)));

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SsmParameterProvider(this);

    /// <summary>Completes when the read has ended, however it ended: <see cref="Wait"/> then returns or throws at once.</summary>
    internal Task Completion => Task.WhenAny(loading);

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

    private static async Task<Dictionary<string, string?>> FetchAsync(string path, Func<IAmazonSimpleSystemsManagement> createClient, IReadOnlySet<string> declared)
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
                var key = ToKey(path, parameter.Name);
                if (!declared.Contains(key))
                {
                    // Its name only, never its value.
                    throw new InvalidOperationException(
                        $"SSM parameter '{parameter.Name}' is not a secret this API declares ({string.Join(", ", declared.Order(StringComparer.Ordinal))}). "
                        + $"Only secrets come from SSM under {SsmParameterConfiguration.PathSetting} '{path}'; a setting belongs in the template's environment (aws/service.yaml).");
                }
                data[key] = parameter.Value;
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
