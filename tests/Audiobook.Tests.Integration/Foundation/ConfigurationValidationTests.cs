using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Audiobook.Tests.Foundation;

/// <summary>Bad configuration stops start-up with a message naming the setting, not a failure deep in a request.</summary>
public sealed class ConfigurationValidationTests
{
    internal static readonly Dictionary<string, string?> Valid = new()
    {
        ["Storage:BucketName"] = "audiobook-test-audio",
        ["Tables:Users"] = "u",
        ["Tables:Books"] = "b",
        ["Tables:AudioChapters"] = "c",
        ["Tables:Progress"] = "p",
        ["Jwt:SigningKey"] = Convert.ToBase64String(new byte[32]),
    };

    [Theory]
    [InlineData("Storage:BucketName", null, "Storage:BucketName")]
    [InlineData("Storage:BucketName", "Not_A_Bucket", "Storage:BucketName")]
    [InlineData("Tables:Books", null, "Tables:Books")]
    [InlineData("Jwt:SigningKey", null, "Jwt:SigningKey")]
    [InlineData("Jwt:SigningKey", "c2hvcnQ=", "Jwt:SigningKey")]
    [InlineData("Uploads:MaxSizeBytes", "0", "MaxSizeBytes")]
    [InlineData("Uploads:Extensions:0", ".mp3", "Extensions")]
    [InlineData("Uploads:Extensions:0", "m4b", "Extensions")]
    [InlineData("Uploads:Extensions:0", ".M4B", "Extensions")]
    [InlineData("Streaming:TimeBucket", "00:00:05", "TimeBucket")]
    [InlineData("Accounts:Sessions:ReuseGrace", "00:05:00", "ReuseGrace")]
    [InlineData("Storage:RequestTimeout", "00:00:00.500", "RequestTimeout")]
    [InlineData("Secrets:ParameterPath", "no-slashes", "Secrets:ParameterPath")]
    public void A_missing_or_malformed_setting_stops_start_up_naming_it(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var failure = StartUpFailure(web =>
        {
            web.UseEnvironment("Staging");
            foreach (var (name, setting) in settings)
            {
                web.UseSetting(name, setting);
            }
        });

        var messages = Flatten(failure).ToList();
        Assert.Contains(messages, m => m.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "AllowedHosts")]
    [InlineData("*", "AllowedHosts")]
    public void Production_refuses_to_start_without_trusted_hosts_and_a_secrets_path(string? allowedHosts, string named)
    {
        var failure = StartUpFailure(web =>
        {
            web.UseEnvironment("Production");
            foreach (var (name, setting) in Valid)
            {
                web.UseSetting(name, setting);
            }
            web.UseSetting("AllowedHosts", allowedHosts);
        });

        var messages = Flatten(failure).ToList();
        Assert.Contains(messages, m => m.Contains(named, StringComparison.Ordinal) && m.Contains("Secrets:ParameterPath", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts the API in process and returns why it would not start (the test fails if it did).
    /// The test host can lose that reason to a race of its own: when the app fails to start and
    /// disposes its services before the factory's thread has asked them for the host's lifetime, the
    /// factory reports only that the service provider is disposed. Then it is asked again.
    /// </summary>
    private static Exception StartUpFailure(Action<IWebHostBuilder> configure)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = new WebApplicationFactory<Audiobook.Api.ApiAssembly>().WithWebHostBuilder(configure);
            var failure = Record.Exception(() => factory.CreateClient());
            Assert.NotNull(failure);
            if (failure is not ObjectDisposedException { ObjectName: nameof(IServiceProvider) } || attempt == 3)
            {
                return failure;
            }
        }
    }

    private static IEnumerable<string> Flatten(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            if (e is OptionsValidationException validation)
            {
                foreach (var failure in validation.Failures)
                {
                    yield return failure;
                }
            }
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
