using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Startup;
using Audiobook.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The secrets' configuration source against the emulator's SSM: read in the background from the
/// start, joined later — every parameter under the path, or a failure that names the path and no value.
/// </summary>
public sealed class SsmParametersTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_parameter_under_the_path_becomes_a_configuration_key_even_across_pages()
    {
        var path = $"/audiobook-test/{Guid.NewGuid():N}/";
        using var ssm = AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));
        // More than one page: GetParametersByPath answers at most 10 at a time.
        var written = Enumerable.Range(0, 12).ToDictionary(i => $"Feature/Keys/K{i}", i => $"value-{i}-{Guid.NewGuid():N}");
        written["Jwt/SigningKey"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        foreach (var (name, value) in written)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = path + name, Value = value, Type = ParameterType.SecureString }, Token);
        }

        var source = SsmParameterSource.Start(path, () => AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL")), Declared(written.Keys));
        var configuration = new ConfigurationBuilder();
        configuration.AddSsmParameters(source);
        var built = configuration.Build();

        foreach (var (name, value) in written)
        {
            Assert.Equal(value, built[name.Replace('/', ':')]);
        }
        Assert.Equal(written.Count, built.AsEnumerable().Count(kv => kv.Value is not null));
    }

    [Fact]
    public void A_read_started_before_the_builder_is_kept_only_when_the_builder_names_the_same_path()
    {
        var path = $"/audiobook-test/{Guid.NewGuid():N}/";
        Func<IAmazonSimpleSystemsManagement> client = () => AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));

        var early = SsmParameterConfiguration.StartLoadingSsmParameters([$"--{SsmParameterConfiguration.PathSetting}={path}"], client);

        Assert.NotNull(early);
        Assert.Same(early, Builder(path).StartLoadingSsmParameters(early, client));
        var other = Builder(path + "other/").StartLoadingSsmParameters(early, client);
        Assert.NotNull(other);
        Assert.NotSame(early, other);
        Assert.Null(Builder(null).StartLoadingSsmParameters(early, client));
        // A malformed path is left to the builder, whose configuration has the last word and names it.
        Assert.Null(SsmParameterConfiguration.StartLoadingSsmParameters([$"--{SsmParameterConfiguration.PathSetting}=no-slashes"], client));
    }

    [Fact]
    public async Task A_parameter_that_is_not_a_declared_secret_stops_start_up_named_and_its_value_untold()
    {
        var path = $"/audiobook-test/{Guid.NewGuid():N}/";
        using var ssm = AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));
        var setting = $"bucket-{Guid.NewGuid():N}";
        await ssm.PutParameterAsync(new PutParameterRequest { Name = path + "Jwt/SigningKey", Value = Convert.ToBase64String(Guid.NewGuid().ToByteArray()), Type = ParameterType.SecureString }, Token);
        await ssm.PutParameterAsync(new PutParameterRequest { Name = path + "Storage/BucketName", Value = setting, Type = ParameterType.String }, Token);

        // As the API starts: the declared secrets only.
        var early = SsmParameterConfiguration.StartLoadingSsmParameters([$"--{SsmParameterConfiguration.PathSetting}={path}"], () => AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL")));
        var configuration = new ConfigurationBuilder();
        configuration.AddSsmParameters(early);

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.Build());

        Assert.Contains(path + "Storage/BucketName", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Jwt:SigningKey", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(setting, failure.ToString(), StringComparison.Ordinal);
    }

    private static HashSet<string> Declared(IEnumerable<string> names) => [.. names.Select(name => name.Replace('/', ':'))];

    /// <summary>An empty host builder whose configuration names <paramref name="path"/> as the secrets' path.</summary>
    internal static HostApplicationBuilder Builder(string? path)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new(SsmParameterConfiguration.PathSetting, path)]);
        return builder;
    }

    [Fact]
    public async Task A_read_that_fails_on_its_second_page_stops_start_up_naming_the_path_and_no_value_already_read()
    {
        var path = $"/audiobook-test/{Guid.NewGuid():N}/";
        using var ssm = AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));
        var written = Enumerable.Range(0, 12).Select(i => $"secret-{i}-{Guid.NewGuid():N}").ToList();
        foreach (var (value, i) in written.Select((v, i) => (v, i)))
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = $"{path}Feature/Keys/K{i}", Value = value, Type = ParameterType.SecureString }, Token);
        }
        FaultInjection<IAmazonSimpleSystemsManagement>? fault = null;
        var source = SsmParameterSource.Start(path, () => FaultInjection<IAmazonSimpleSystemsManagement>.Wrap(
            AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL")), FaultTiming.BeforeCall,
            (method, args) => args?[0] is GetParametersByPathRequest { NextToken: { Length: > 0 } }, out fault),
            Declared(Enumerable.Range(0, 12).Select(i => $"Feature/Keys/K{i}")));
        var configuration = new ConfigurationBuilder();
        configuration.AddSsmParameters(source);

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.Build());

        Assert.True(fault?.HasStruck, "the second page was never asked for");
        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
        var told = failure.ToString();
        Assert.DoesNotContain(written, value => told.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreachable_parameter_store_stops_start_up_naming_the_path_and_not_the_value()
    {
        // A real client, pointed at a port where nothing listens, without retries.
        var source = SsmParameterSource.Start("/audiobook/nowhere/", () => new AmazonSimpleSystemsManagementClient(
            new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }),
            DeclaredSecrets.Keys);

        var configuration = new ConfigurationBuilder();
        configuration.AddSsmParameters(source);

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.Build());

        Assert.Contains("/audiobook/nowhere/", failure.Message, StringComparison.Ordinal);
        Assert.Contains(SsmParameterConfiguration.PathSetting, failure.Message, StringComparison.Ordinal);
    }
}
