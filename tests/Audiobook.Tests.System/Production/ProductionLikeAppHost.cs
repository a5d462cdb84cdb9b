using Audiobook.AppHost.ProductionLike;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Production;

/// <summary>
/// One AppHost in the production-like profile for every test of the collection: the Lambda package
/// (Native AOT) behind the local API Gateway and CloudFront edge, under the template's IAM role. Its
/// tests run one after another, after all the others: building the package keeps both cores busy
/// for minutes, which would slow the timing-sensitive tests beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProductionLikeAppHost : ICollectionFixture<ProductionLikeAppHost>, IAsyncLifetime
{
    public const string Name = "Production-like AppHost";

    /// <summary>A separately hosted web app's origin, as aws/deploy.sh --web-origin would be given it.</summary>
    public const string WebOrigin = "https://app.example.com";

    public AppHostFixture Host { get; } = new()
    {
        ExtraArgs = [$"{ProductionLikeRun.Setting}=Production", $"{ProductionLikeRun.WebOriginsSetting}={WebOrigin}"],
        StartTimeout = TimeSpan.FromMinutes(4),
    };

    public ValueTask InitializeAsync() => Host.InitializeAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
