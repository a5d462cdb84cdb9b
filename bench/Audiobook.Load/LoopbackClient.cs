using System.Net;
using System.Net.Sockets;

namespace Audiobook.Load;

/// <summary>
/// HTTP clients that reach the local stand-ins as browsers and curl do: *.localhost names (the edge's
/// media.audiobook.localhost) resolve to this machine, which .NET's resolver does not do on Linux.
/// Each client can also come from an address of its own in 127.0.0.0/8 (all of it is loopback on
/// Linux): behind the gateway, the API sees the caller's real address, not an X-Forwarded-For the
/// caller sends, so callers that must be told apart (tests, the load driver) must really be distinct.
/// </summary>
public static class LoopbackClient
{
    private static int next;

    /// <summary>A client from a loopback address no other client of this run has used (127.1.0.1, 127.1.0.2, …).</summary>
    public static HttpClient FromOwnAddress(Uri? baseAddress = null)
    {
        var n = Interlocked.Increment(ref next);
        return Create(new IPAddress([127, (byte)(1 + n / 62500 % 250), (byte)(n / 250 % 250), (byte)(n % 250 + 1)]), baseAddress);
    }

    public static HttpClient Create(IPAddress? source = null, Uri? baseAddress = null) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (source is not null)
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                    }
                    var host = context.DnsEndPoint.Host;
                    var address = host == "localhost" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
                        ? IPAddress.Loopback
                        : (await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, ct)).First();
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress };
}
