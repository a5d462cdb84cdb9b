namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// An AppHost of its own for tests that disrupt it (reset its data, stop its emulator): doing that
/// to the shared one would pull the floor from under the other tests. The tests of this collection
/// run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IsolatedAppHost : ICollectionFixture<IsolatedAppHost>, IAsyncLifetime
{
    public const string Name = "Isolated AppHost";

    public AppHostFixture Host { get; } = new();

    public ValueTask InitializeAsync() => Host.InitializeAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
