using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Audiobook.LocalCloudFront.SignedUrls;

/// <summary>A viewer's request as the edge received it: the URL still percent-encoded, as the signer signed it.</summary>
public sealed record ViewerRequest(string Scheme, string Host, string RawPath, string RawQuery, IPAddress? ClientAddress);

public abstract record Verdict
{
    /// <summary>The signature holds: the request goes on with its own query parameters, the signing ones removed.</summary>
    public sealed record Allowed(IReadOnlyList<KeyValuePair<string, string>> Query) : Verdict;

    /// <summary>CloudFront's 403, with its error code and message.</summary>
    public sealed record Denied(string Code, string Message) : Verdict;
}

/// <summary>
/// Checks a signed URL as CloudFront does for a behaviour with trusted key groups — written from the
/// CloudFront documentation, sharing nothing with the API's signer. Canned policy (Expires) or custom
/// policy (Policy: Resource with * and ? wildcards, DateLessThan, DateGreaterThan, IpAddress), the
/// Key-Pair-Id among the key group's public keys, a signature over the policy's exact bytes.
/// </summary>
public static class SignedUrlCheck
{
    private static readonly HashSet<string> SigningParameters = ["Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"];

    public static Verdict Check(ViewerRequest request, KeyGroup keys, DateTimeOffset now)
    {
        var query = Parameters(request.RawQuery);
        string? Get(string name) => query.LastOrDefault(p => p.Name == name)?.Value;

        var keyPairId = Get("Key-Pair-Id");
        if (string.IsNullOrEmpty(keyPairId))
        {
            return new Verdict.Denied("MissingKey", "Missing Key-Pair-Id query parameter or cookie value");
        }
        if (!keys.Knows(keyPairId))
        {
            return new Verdict.Denied("InvalidKey", "Unknown Key");
        }
        var kept = query.Where(p => !SigningParameters.Contains(p.Name)).ToList();
        var resource = $"{request.Scheme}://{request.Host}{request.RawPath}"
            + (kept.Count > 0 ? "?" + string.Join('&', kept.Select(p => p.Raw)) : "");

        byte[] policy;
        if (Get("Policy") is { } custom)
        {
            if (!TryUrlSafeBase64(custom, out policy))
            {
                return new Verdict.Denied("MalformedPolicy", "Malformed Policy");
            }
        }
        else if (long.TryParse(Get("Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            policy = Encoding.UTF8.GetBytes(
                "{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expires.ToString(CultureInfo.InvariantCulture) + "}}}]}");
        }
        else
        {
            return AccessDenied;
        }

        var hash = Get("Hash-Algorithm") switch
        {
            null => HashAlgorithmName.SHA1,
            "SHA256" => HashAlgorithmName.SHA256,
            _ => default,
        };
        if (hash == default || Get("Signature") is not { } encoded || !TryUrlSafeBase64(encoded, out var signature)
            || !keys.Verifies(keyPairId, policy, signature, hash))
        {
            return AccessDenied;
        }
        if (!TryReadStatement(policy, out var statement))
        {
            return new Verdict.Denied("MalformedPolicy", "Malformed Policy");
        }
        var allowed = (statement.Resource is null || Matches(statement.Resource, resource))
            && now < DateTimeOffset.FromUnixTimeSeconds(statement.DateLessThan)
            && (statement.DateGreaterThan is not { } start || now >= DateTimeOffset.FromUnixTimeSeconds(start))
            && (statement.SourceIp is not { } range || (request.ClientAddress is { } address && InRange(address, range)));
        return allowed ? new Verdict.Allowed([.. kept.Select(p => KeyValuePair.Create(p.Name, p.Value))]) : AccessDenied;
    }

    private static Verdict.Denied AccessDenied => new("AccessDenied", "Access denied");

    private sealed record Parameter(string Name, string Value, string Raw);

    private static List<Parameter> Parameters(string rawQuery) =>
        [.. rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(raw =>
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? raw : raw[..equals];
            var value = equals < 0 ? "" : raw[(equals + 1)..];
            return new Parameter(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value), raw);
        })];

    private sealed record Statement(string? Resource, long DateLessThan, long? DateGreaterThan, string? SourceIp);

    private static bool TryReadStatement(byte[] policy, out Statement statement)
    {
        statement = null!;
        try
        {
            using var json = JsonDocument.Parse(policy);
            var statements = json.RootElement.GetProperty("Statement");
            if (statements.GetArrayLength() != 1)
            {
                return false;
            }
            var only = statements[0];
            var condition = only.GetProperty("Condition");
            statement = new Statement(
                only.TryGetProperty("Resource", out var resource) ? resource.GetString() : null,
                condition.GetProperty("DateLessThan").GetProperty("AWS:EpochTime").GetInt64(),
                condition.TryGetProperty("DateGreaterThan", out var start) ? start.GetProperty("AWS:EpochTime").GetInt64() : null,
                condition.TryGetProperty("IpAddress", out var ip) ? ip.GetProperty("AWS:SourceIp").GetString() : null);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>CloudFront's resource wildcards: * matches any run of characters, ? exactly one.</summary>
    private static bool Matches(string pattern, string url) =>
        Regex.IsMatch(url, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static bool InRange(IPAddress address, string cidr) =>
        IPNetwork.TryParse(cidr.Contains('/') ? cidr : cidr + (cidr.Contains(':') ? "/128" : "/32"), out var network)
        && network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool TryUrlSafeBase64(string value, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '=').Replace('~', '/'));
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
