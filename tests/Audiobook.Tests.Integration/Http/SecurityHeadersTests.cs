using System.Net;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Http;

public sealed class SecurityHeadersTests(AppHostFixture apphost)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/js/app.js")]
    [InlineData("/api/v1/books")]
    [InlineData("/health")]
    [InlineData("/no/such/page")]
    public async Task Every_response_carries_the_security_headers_and_a_strict_csp(string path)
    {
        using var http = ApiUser.Anonymous(apphost);

        var response = await http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        // Audio comes only from storage: the emulator's origin here.
        Assert.Contains($"media-src {new Uri(apphost.Setting("AWS_ENDPOINT_URL")).GetLeftPart(UriPartial.Authority)}", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_player_is_served_at_the_root()
    {
        using var http = ApiUser.Anonymous(apphost);
        var response = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\">", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing on {response.RequestMessage?.RequestUri}");
}
