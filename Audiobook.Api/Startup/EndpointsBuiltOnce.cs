using Microsoft.Extensions.Primitives;

namespace Audiobook.Api.Startup;

/// <summary>
/// One of the app's endpoint sources, whose endpoints are built once and then shared. A minimal API's
/// source builds its endpoints anew each time they are asked for (route pattern, metadata, the generated
/// request delegate of every route), and two consumers ask at start-up: the authorization middleware's
/// policy cache, as the pipeline is built, and routing, at the first request. Shared, the second build
/// is gone, and the one build can run while the host starts (<see cref="ColdStart.Run"/>).
/// </summary>
/// <remarks>
/// The endpoints are built again only if the source signals a change (minimal APIs never do).
/// </remarks>
internal sealed class EndpointsBuiltOnce(EndpointDataSource source) : EndpointDataSource
{
    private readonly Lock building = new();
    private (IReadOnlyList<Endpoint> Endpoints, IChangeToken Changed)? built;

    public override IReadOnlyList<Endpoint> Endpoints
    {
        get
        {
            lock (building)
            {
                if (built is not { Changed.HasChanged: false } current)
                {
                    // The token first: a change during the build is not missed.
                    var changed = source.GetChangeToken();
                    current = (source.Endpoints, changed);
                    built = current;
                }
                return current.Endpoints;
            }
        }
    }

    public override IChangeToken GetChangeToken() => source.GetChangeToken();

    public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) => source.GetGroupedEndpoints(context);
}
