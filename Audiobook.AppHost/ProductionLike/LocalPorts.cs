using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// Ports of the stand-ins that callers reach directly, not through Aspire's proxy (API Gateway and
/// CloudFront see their caller's own address): the launch profile's fixed ports for a person at the
/// dashboard, free ones when the run randomizes ports (the tests' AppHosts), so runs can coexist.
/// </summary>
public static class LocalPorts
{
    /// <summary>Set by Aspire's testing builder: every endpoint gets a port of its own.</summary>
    private const string RandomizeSetting = "DcpPublisher:RandomizePorts";

    public static IResourceBuilder<ProjectResource> WithDirectEndpoint(this IResourceBuilder<ProjectResource> resource, IConfiguration configuration)
    {
        var randomize = configuration.GetValue<bool>(RandomizeSetting);
        return resource.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            if (randomize)
            {
                endpoint.Port = Free();
            }
        });
    }

    /// <summary>A port nothing listens on now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
