using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Secrets;
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

        var source = SsmParameterSource.Start(path, () => AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL")));
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

    /// <summary>An empty host builder whose configuration names <paramref name="path"/> as the secrets' path.</summary>
    internal static HostApplicationBuilder Builder(string? path)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new(SsmParameterConfiguration.PathSetting, path)]);
        return builder;
    }

    [Fact]
    public void An_unreachable_parameter_store_stops_start_up_naming_the_path_and_not_the_value()
    {
        // A real client, pointed at a port where nothing listens, without retries.
        var source = SsmParameterSource.Start("/audiobook/nowhere/", () => new AmazonSimpleSystemsManagementClient(
            new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }));

        var configuration = new ConfigurationBuilder();
        configuration.AddSsmParameters(source);

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.Build());

        Assert.Contains("/audiobook/nowhere/", failure.Message, StringComparison.Ordinal);
        Assert.Contains(SsmParameterConfiguration.PathSetting, failure.Message, StringComparison.Ordinal);
    }
}
