using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Streaming;
using Audiobook.AppHost.LocalAws;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// The API as it runs on Lambda (the AppHost's production-like profile, on an AppHost of its own):
/// CloudFront-signed stream URLs, no API docs, trusted hosts, CORS for the web origin only, HSTS.
/// </summary>
public sealed class ProductionLikeTests(ProductionLikeTests.ProductionAppHost production) : IClassFixture<ProductionLikeTests.ProductionAppHost>
{
    public sealed class ProductionAppHost : IAsyncLifetime
    {
        public AppHostFixture Host { get; } = new()
        {
            ExtraArgs = [$"{ProductionLikeRun.Setting}=Production", $"{ProductionLikeRun.WebOriginSetting}=https://app.example.com"],
        };

        public ValueTask InitializeAsync() => Host.InitializeAsync();

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private AppHostFixture Host => production.Host;

    [Fact]
    public async Task Stream_urls_are_cloudfront_signed_and_verify_with_the_public_key()
    {
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);

        var url = signed["url"]!.GetValue<string>();
        var uri = new Uri(url);
        Assert.Equal("https", uri.Scheme);
        Assert.Equal(ProductionLikeRun.CloudFrontDomain, uri.Host);
        Assert.Equal($"/books/{bookId}/chapters/{IdOf(chapter)}.m4a", uri.AbsolutePath);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal(ProductionLikeRun.KeyPairId, query["Key-Pair-Id"]);
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(query["Expires"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(signed["expiresAt"]!.GetValue<DateTimeOffset>(), expires);

        using var key = RSA.Create();
        key.ImportFromPem(await ReadSecretAsync("/audiobook/local/CloudFront/Keys/A/PrivateKey"));
        var policy = new CloudFrontPolicy(url[..url.IndexOf("?Expires=", StringComparison.Ordinal)], expires).ToJson();
        Assert.True(key.VerifyData(Encoding.UTF8.GetBytes(policy), CloudFrontUrlSigner.FromUrlSafeBase64(query["Signature"]!), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Api_docs_are_hidden()
    {
        using var user = await CreateAsync(Host);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync("/openapi/v1.json", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync("/scalar/v1", Token)).StatusCode);
    }

    [Fact]
    public async Task A_foreign_host_header_is_refused()
    {
        using var http = Host.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        request.Headers.Host = "evil.example.com";

        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(request, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive", Token)).StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://evil.example.com", false)]
    public async Task Cors_admits_only_the_configured_web_origin(string origin, bool allowed)
    {
        using var http = Host.CreateApiClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/books");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await http.SendAsync(preflight, Token);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task Https_requests_through_the_gateway_get_hsts()
    {
        using var http = Host.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        // As through API Gateway: the API's domain, and https terminated in front of the API.
        request.Headers.Host = ProductionLikeRun.ApiHost;
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await http.SendAsync(request, Token);

        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_are_still_problem_details()
    {
        using var http = Anonymous(Host);
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong wrong wrong" }, Token);
        await ExpectProblem(response, HttpStatusCode.Unauthorized);
    }

    private async Task<string> ReadSecretAsync(string name)
    {
        using var ssm = Host.CreateSsmClient();
        var parameter = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, Token);
        return parameter.Parameter.Value;
    }
}
