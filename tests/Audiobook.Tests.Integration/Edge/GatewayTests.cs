using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Audiobook.Tests.Edge;

/// <summary>
/// The local API Gateway (Audiobook.LocalApiGateway), as a process of its own in front of a function
/// that echoes what reached it: the request arrives as API Gateway and the Lambda Web Adapter deliver
/// it, and the stage's throttling answers 429 as API Gateway does, without reaching the function.
/// </summary>
public sealed class GatewayTests
{
    private const string ApiHost = "abc123.execute-api.us-east-1.amazonaws.com";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_function_sees_the_apis_domain_https_and_the_callers_real_address_appended()
    {
        await using var function = await EchoFunction.StartAsync();
        await using var gateway = await StartGatewayAsync(function.Address, rate: 1000, burst: 1000);
        using var caller = LoopbackClient.Create(IPAddress.Parse("127.3.4.5"), gateway.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/books?limit=2");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "http");

        var seen = (await (await caller.SendAsync(request, Token)).Content.ReadFromJsonAsync<JsonObject>(Token))!;

        Assert.Equal(ApiHost, seen["host"]!.GetValue<string>());
        Assert.Equal("/api/v1/books?limit=2", seen["target"]!.GetValue<string>());
        // What the caller claims stays, and its real address comes last: the only entry the API trusts.
        Assert.Equal("203.0.113.9,127.3.4.5", seen["forwardedFor"]!.GetValue<string>().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("https", seen["forwardedProto"]!.GetValue<string>());
        Assert.Equal("443", seen["forwardedPort"]!.GetValue<string>());
    }

    [Fact]
    public async Task Past_the_stages_burst_the_gateway_answers_429_as_api_gateway_does_and_the_function_never_sees_it()
    {
        await using var function = await EchoFunction.StartAsync();
        await using var gateway = await StartGatewayAsync(function.Address, rate: 2, burst: 10);
        using var caller = LoopbackClient.Create(baseAddress: gateway.Address);
        var before = function.Requests;

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => caller.GetAsync("/api/v1/books", Token)));

        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        // The burst passes at once, less the two tokens the start-up probes took (/alive, /health); the
        // bucket refills two tokens a second while the rest arrive.
        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 8, 11);
        Assert.Equal(30, answers.Count(a => a.StatusCode == HttpStatusCode.OK) + throttled.Count);
        Assert.Equal("application/json", throttled[0].Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too Many Requests", (await throttled[0].Content.ReadFromJsonAsync<JsonObject>(Token))!["message"]!.GetValue<string>());
        Assert.Equal(answers.Length - throttled.Count, function.Requests - before);
    }

    [Fact]
    public async Task A_function_that_does_not_answer_is_api_gateways_500_not_a_hang()
    {
        await using var gateway = await StartGatewayAsync(new Uri("http://127.0.0.1:9"), rate: 100, burst: 100, waitForHealth: false);
        using var caller = LoopbackClient.Create(baseAddress: gateway.Address);

        var answer = await caller.GetAsync("/api/v1/books", Token);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("Internal Server Error", (await answer.Content.ReadFromJsonAsync<JsonObject>(Token))!["message"]!.GetValue<string>());
    }

    private static Task<ApiProcess> StartGatewayAsync(Uri function, int rate, int burst, bool waitForHealth = true) =>
        ApiProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Audiobook.LocalApiGateway.dll"), new Dictionary<string, string>
        {
            ["Gateway__Function"] = function.ToString(),
            ["Gateway__ApiHost"] = ApiHost,
            ["Gateway__ThrottlingRateLimit"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway__ThrottlingBurstLimit"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, Token, healthPath: waitForHealth ? "/health" : null);

    /// <summary>A stand-in function: answers every request with what it received.</summary>
    private sealed class EchoFunction : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int requests;

        private EchoFunction(WebApplication app) => this.app = app;

        public Uri Address => new(app.Urls.First());

        public int Requests => requests;

        public static async Task<EchoFunction> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var echo = new EchoFunction(app);
            app.Run(context =>
            {
                Interlocked.Increment(ref echo.requests);
                var request = context.Request;
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(new JsonObject
                {
                    ["host"] = request.Host.Value,
                    ["target"] = request.Path + request.QueryString,
                    ["forwardedFor"] = request.Headers["X-Forwarded-For"].ToString(),
                    ["forwardedProto"] = request.Headers["X-Forwarded-Proto"].ToString(),
                    ["forwardedPort"] = request.Headers["X-Forwarded-Port"].ToString(),
                }.ToJsonString());
            });
            await app.StartAsync();
            return echo;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
