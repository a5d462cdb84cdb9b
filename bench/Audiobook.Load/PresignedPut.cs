using System.Text.Json.Nodes;

namespace Audiobook.Load;

/// <summary>The storage PUT an upload ticket describes: its URL and every header it names (all signed).</summary>
public static class PresignedPut
{
    public static HttpRequestMessage Create(JsonObject ticket, HttpContent content)
    {
        var put = new HttpRequestMessage(HttpMethod.Put, ticket["url"]!.GetValue<string>()) { Content = content };
        foreach (var (name, value) in ticket["headers"]!.AsObject())
        {
            // Content-Type belongs to the content; If-None-Match and x-amz-tagging to the request.
            if (!content.Headers.TryAddWithoutValidation(name, value!.GetValue<string>()))
            {
                put.Headers.TryAddWithoutValidation(name, value.GetValue<string>());
            }
        }
        return put;
    }
}
