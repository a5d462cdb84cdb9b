using System.Net;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Audiobook.Api.Storage;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// /health is anonymous and not rate-limited, and each storage probe is two AWS calls: every /health
/// asked while a probe runs, or within a second of its start, gets that probe's answer; a later one
/// starts a new probe against the real emulator.
/// </summary>
public sealed class HealthProbeTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_of_health_checks_shares_one_probe_and_a_later_one_probes_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = InProcessApi.Create(apphost, "Production").WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var http = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Token)).StatusCode);

        var calls = CountProbeCalls(api.Services);
        await BurstAsync(http, 20);
        Assert.Equal(0, calls.Value);

        clock.Advance(StorageProbe.Freshness);
        await BurstAsync(http, 20);
        Assert.Equal(2, calls.Value); // one BatchGetItem over the four tables and one GetBucketLocation: one probe for twenty answers
    }

    [Fact]
    public async Task A_table_that_does_not_exist_makes_health_unhealthy()
    {
        await using var api = InProcessApi.Create(apphost, "Production", new Dictionary<string, string>
        {
            ["Tables:Progress"] = $"audiobook-missing-{Guid.NewGuid():N}",
        });
        using var http = api.CreateClient();

        var answer = await http.GetAsync("/health", Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
    }

    private static async Task BurstAsync(HttpClient http, int count)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => http.GetAsync("/health", Token)));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
    }

    /// <summary>Counts the probe's requests as the SDK sends them (the SDK's own request event).</summary>
    private static StrongBox<int> CountProbeCalls(IServiceProvider services)
    {
        var count = new StrongBox<int>();
        void Count(object sender, RequestEventArgs e)
        {
            if (e is WebServiceRequestEventArgs { Request: BatchGetItemRequest or GetBucketLocationRequest })
            {
                Interlocked.Increment(ref count.Value);
            }
        }
        ((AmazonServiceClient)services.GetRequiredService<IAmazonDynamoDB>()).BeforeRequestEvent += Count;
        ((AmazonServiceClient)services.GetRequiredService<IAmazonS3>()).BeforeRequestEvent += Count;
        return count;
    }
}
