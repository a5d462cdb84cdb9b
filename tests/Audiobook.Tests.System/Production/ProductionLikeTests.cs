using System.Net;
using System.Net.Http.Json;
using System.Web;
using Audiobook.AppHost.ProductionLike;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// The API as production runs it, run from production's own definition (the production-like profile):
/// through the gateway, stream URLs signed for the distribution and served by the edge, no API docs,
/// trusted hosts, CORS for the web origin the deploy names, HSTS behind https.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class ProductionLikeTests(ProductionLikeAppHost production)
{
    private AppHostFixture Host => production.Host;

    [Fact]
    public async Task A_books_embedded_cover_is_copied_under_the_functions_role_and_served_by_the_edge()
    {
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        await user.AddChapterAsync(bookId, "book-both-markers.m4a");

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.OK);

        var url = new Uri(signed["url"]!.GetValue<string>());
        Assert.Equal(LocalServiceStack.CloudFrontHost, url.Host);
        Assert.StartsWith($"/books/{bookId}/covers/", url.AbsolutePath, StringComparison.Ordinal);
        using var viewer = LoopbackClient.Create();
        var picture = await viewer.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/jpeg", picture.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await Media.Mp4Samples.EmbeddedCoverAsync("book-both-markers.m4a"), await picture.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_stream_url_is_signed_for_the_distribution_and_the_edge_serves_it_with_range()
    {
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId, "faststart.m4a");

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);

        var url = new Uri(signed["url"]!.GetValue<string>());
        Assert.Equal("http", url.Scheme);
        Assert.Equal(LocalServiceStack.CloudFrontHost, url.Host);
        Assert.Equal(Host.App.GetEndpoint("cdn", "http").Port, url.Port);
        Assert.Equal($"/books/{bookId}/chapters/{IdOf(chapter)}.m4a", url.AbsolutePath);
        Assert.Equal(Host.Setting("CloudFront__KeyPairId"), HttpUtility.ParseQueryString(url.Query)["Key-Pair-Id"]);

        using var viewer = LoopbackClient.Create();
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        var partial = await viewer.SendAsync(range, Token);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(Media.Mp4Samples.Read("faststart.m4a")[..100], await partial.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("bytes 0-99/" + Media.Mp4Samples.Read("faststart.m4a").Length, partial.Content.Headers.ContentRange?.ToString());
        Assert.Contains("CloudFront", partial.Headers.Via.ToString(), StringComparison.Ordinal);

        // One changed character of the path: CloudFront's 403, before anything reaches the bucket.
        var tampered = await viewer.GetAsync(new Uri(url.ToString().Replace(".m4a?", ".m4b?", StringComparison.Ordinal)), Token);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await tampered.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_through_the_edge_carries_the_original_file_name()
    {
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId, "faststart.m4a", fileName: "Chapter Ünï 1.m4a");

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/download", Token), HttpStatusCode.OK);
        using var viewer = LoopbackClient.Create();
        var file = await viewer.GetAsync(new Uri(signed["url"]!.GetValue<string>()), Token);

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Chapter Ünï 1.m4a", file.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(Media.Mp4Samples.Read("faststart.m4a"), await file.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task Api_docs_are_hidden()
    {
        using var user = await CreateAsync(Host);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync("/openapi/v1.json", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync("/scalar/v1", Token)).StatusCode);
    }

    [Fact]
    public async Task The_function_refuses_a_foreign_host_and_answers_the_adapters_readiness_check_with_200()
    {
        // Straight to the function, as only the Lambda Web Adapter reaches it.
        using var function = LoopbackClient.Create(baseAddress: new Uri($"http://127.0.0.1:{Host.App.GetEndpoint("api", "http").Port}"));
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/alive");
        foreign.Headers.Host = "evil.example.com";

        Assert.Equal(HttpStatusCode.BadRequest, (await function.SendAsync(foreign, Token)).StatusCode);
        // The adapter asks for its readiness path with Host 127.0.0.1:PORT; anything but 200 means the
        // API refuses its own adapter (the adapter would still start it: it counts any answer below 500).
        var readiness = Host.Setting("AWS_LWA_READINESS_CHECK_PATH");
        Assert.Equal(HttpStatusCode.OK, (await function.GetAsync(readiness, Token)).StatusCode);
    }

    [Theory]
    [InlineData(ProductionLikeAppHost.WebOrigin, true)]
    [InlineData("https://evil.example.com", false)]
    public async Task Cors_admits_only_the_web_origin_the_deploy_names(string origin, bool allowed)
    {
        using var http = Anonymous(Host);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/books");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await http.SendAsync(preflight, Token);

        Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK, $"the preflight answered {(int)response.StatusCode}");
        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task Through_the_gateway_the_api_sees_https_and_sends_hsts()
    {
        using var http = Anonymous(Host);

        var response = await http.GetAsync("/alive", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_are_still_problem_details()
    {
        using var http = Anonymous(Host);
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong wrong wrong" }, Token);
        await ExpectProblem(response, HttpStatusCode.Unauthorized);
    }
}
