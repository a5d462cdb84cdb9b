using Audiobook.Tests.Production;

namespace Audiobook.Tests.Web;

/// <summary>
/// The web player against production as the production-like profile runs it: served through the
/// gateway, uploading straight to the bucket through the CORS rules aws/deploy.sh applies, playing and
/// downloading through the CloudFront edge's signed URLs. (Every browser here signs in from 127.0.0.1,
/// which the gateway does not let it disguise: these three listeners keep within the per-address sign-in limit.)
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class ProductionLikePlayerTests(ProductionLikeAppHost production, BrowserFixture browser)
    : PlayerScenarios(production.Host, browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_listener_uploads_to_the_bucket_plays_and_seeks_through_the_edge_and_resumes_after_a_reload() => ListenAsync();

    [Fact]
    public Task A_chapter_downloads_through_the_edge_with_its_original_file_name() => DownloadAsync();

    [Fact]
    public Task Another_browser_resumes_where_the_first_stopped() => ResumeInAnotherBrowserAsync();
}
