using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Audiobook.Api.Streaming;

/// <summary>
/// A CloudFront signed-URL policy statement. The canned form is fixed by AWS byte for byte; the
/// custom form adds a not-before time, a source IP range and wildcard resources.
/// </summary>
public sealed record CloudFrontPolicy(string Resource, DateTimeOffset Expires, DateTimeOffset? NotBefore = null, string? SourceIp = null)
{
    public bool IsCanned => NotBefore is null && SourceIp is null && !Resource.Contains('*');

    /// <summary>Compact JSON in AWS's order: Resource, then DateLessThan, DateGreaterThan, IpAddress.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("Statement");
            json.WriteStartObject();
            json.WriteString("Resource", Resource);
            json.WriteStartObject("Condition");
            WriteEpoch(json, "DateLessThan", Expires);
            if (NotBefore is { } notBefore)
            {
                WriteEpoch(json, "DateGreaterThan", notBefore);
            }
            if (SourceIp is not null)
            {
                json.WriteStartObject("IpAddress");
                json.WriteString("AWS:SourceIp", SourceIp);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Epoch(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static void WriteEpoch(Utf8JsonWriter json, string name, DateTimeOffset time)
    {
        json.WriteStartObject(name);
        json.WriteNumber("AWS:EpochTime", time.ToUnixTimeSeconds());
        json.WriteEndObject();
    }
}
