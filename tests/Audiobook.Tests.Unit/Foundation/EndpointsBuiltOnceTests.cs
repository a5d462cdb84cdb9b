using Audiobook.Api.Startup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace Audiobook.Tests.Foundation;

public sealed class EndpointsBuiltOnceTests
{
    [Fact]
    public void The_endpoints_are_built_once_and_then_shared()
    {
        var source = new CountingSource();
        var once = new EndpointsBuiltOnce(source);

        var first = once.Endpoints;
        var second = once.Endpoints;

        Assert.Equal(1, source.Builds);
        Assert.Same(first, second);
        Assert.Equal("/books", ((RouteEndpoint)Assert.Single(first)).RoutePattern.RawText);
    }

    [Fact]
    public void Callers_at_the_same_time_wait_for_the_one_build()
    {
        var source = new CountingSource { BuildTime = TimeSpan.FromMilliseconds(50) };
        var once = new EndpointsBuiltOnce(source);

        var seen = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ => once.Endpoints).ToList();

        Assert.Equal(1, source.Builds);
        Assert.All(seen, endpoints => Assert.Same(seen[0], endpoints));
    }

    [Fact]
    public void A_source_that_signals_a_change_is_built_again()
    {
        var source = new CountingSource();
        var once = new EndpointsBuiltOnce(source);
        var before = once.Endpoints;

        source.Change();
        var after = once.Endpoints;

        Assert.Equal(2, source.Builds);
        Assert.NotSame(before, after);
        Assert.Same(after, once.Endpoints);
    }

    [Fact]
    public void A_failed_build_is_not_kept()
    {
        var source = new CountingSource { FailNext = true };
        var once = new EndpointsBuiltOnce(source);

        Assert.Throws<InvalidOperationException>(() => once.Endpoints);

        Assert.Single(once.Endpoints);
        Assert.Equal(2, source.Builds);
    }

    /// <summary>A source that builds new endpoints each time it is asked, as a minimal API's does.</summary>
    private sealed class CountingSource : EndpointDataSource
    {
        private CancellationTokenSource changed = new();

        private int builds;

        public int Builds => builds;

        public TimeSpan BuildTime { get; init; }

        public bool FailNext { get; set; }

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get
            {
                Interlocked.Increment(ref builds);
                Thread.Sleep(BuildTime);
                if (FailNext)
                {
                    FailNext = false;
                    throw new InvalidOperationException("A convention failed.");
                }
                return [new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/books"), 0, null, "books")];
            }
        }

        public void Change()
        {
            var old = changed;
            changed = new CancellationTokenSource();
            old.Cancel();
        }

        public override IChangeToken GetChangeToken() => new CancellationChangeToken(changed.Token);
    }
}
