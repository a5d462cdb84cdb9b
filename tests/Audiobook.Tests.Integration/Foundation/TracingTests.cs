using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Foundation;

/// <summary>Every AWS call a request makes shows up as a span inside that request's trace.</summary>
public sealed class TracingTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_request_trace_contains_its_dynamodb_calls_as_child_spans()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Amazon.AWS.SDK" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var api = InProcessApi.Create(apphost, "Development");
        using var client = api.CreateClient();

        // The caller's trace context is continued, so this test can pick its own trace out of the process's.
        var traceId = ActivityTraceId.CreateRandom();
        using var register = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent.Create(new { email = $"trace-{Guid.NewGuid():N}@example.com", password = "a long listening passphrase", displayName = "Tracer" }),
        };
        register.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(register, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The server's request activity stops just after the response is sent: give it a moment.
        for (var i = 0; i < 50 && !stopped.Any(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        var request = Assert.Single(stopped, a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId);
        var awsCalls = stopped.Where(a => a.Source.Name == "Amazon.AWS.SDK" && a.TraceId == traceId).ToList();
        Assert.All(awsCalls, a => Assert.True(a.StartTimeUtc >= request.StartTimeUtc));
        var transaction = Assert.Single(awsCalls, a => a.DisplayName.Contains("TransactWriteItems", StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Client, transaction.Kind);
        Assert.Equal(ActivityStatusCode.Unset, transaction.Status);
    }
}
