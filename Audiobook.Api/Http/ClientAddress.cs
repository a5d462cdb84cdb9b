using System.Net;

namespace Audiobook.Api.Http;

/// <summary>
/// Who a client is, for limits and sign-in throttling: the address the gateway saw (the forwarded-headers
/// middleware trusts only the loopback proxy in front of the API: API Gateway through the Lambda Web
/// Adapter in AWS, the local gateway or Aspire's proxy here). An IPv6 client owns at least a /64 — one
/// customer's network — so its addresses count as one; IPv4-mapped IPv6 is the IPv4 address.
/// </summary>
public static class ClientAddress
{
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var network = address.GetAddressBytes();
        Array.Clear(network, 8, 8);
        return new IPAddress(network) + "/64";
    }

    public static string Key(HttpContext context) => Key(context.Connection.RemoteIpAddress);
}
