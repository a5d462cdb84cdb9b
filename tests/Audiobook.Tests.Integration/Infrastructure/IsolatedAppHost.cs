namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// An AppHost of its own for tests that disrupt it (reset its data, stop its emulator): doing that
/// to the shared one would pull the floor from under the other tests. The tests of this collection
/// run one after another, after all the others: starting a second emulator and provisioning it (and
/// again after an outage) takes both cores for seconds, which timed out calls of the tests beside it
/// (8 concurrent completes answered 503 in two runs of the integration tier).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedAppHost : ICollectionFixture<IsolatedAppHost>, IAsyncLifetime
{
    public const string Name = "Isolated AppHost";

    public AppHostFixture Host { get; } = new();

    public ValueTask InitializeAsync() => Host.InitializeAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
