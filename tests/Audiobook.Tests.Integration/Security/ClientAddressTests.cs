using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Security;

/// <summary>
/// A client is its address as the gateway saw it; an IPv6 client owns a whole /64 (one customer's
/// network), so hopping between its addresses does not buy it a fresh allowance.
/// </summary>
public sealed class ClientAddressTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Addresses_of_one_ipv6_64_share_the_sign_in_allowance()
    {
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        var answers = new List<HttpStatusCode>();
        for (var i = 1; i <= 11; i++)
        {
            answers.Add((await AttemptFromAsync($"{network}::{i:x}")).StatusCode);
        }

        Assert.All(answers.Take(10), status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[10]);
        // The neighbouring /64 is another client.
        Assert.Equal(HttpStatusCode.BadRequest, (await AttemptFromAsync($"{network[..^1]}{(network[^1] == '1' ? '2' : '1')}::1")).StatusCode);
    }

    /// <summary>A registration the API refuses (400), counted against the sign-in allowance all the same.</summary>
    private async Task<HttpResponseMessage> AttemptFromAsync(string address)
    {
        using var http = apphost.CreateApiClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return await http.PostAsJsonAsync("/api/v1/auth/register", new { }, Token);
    }
}
