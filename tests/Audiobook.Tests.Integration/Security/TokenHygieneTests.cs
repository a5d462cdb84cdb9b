using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Audiobook.Api.Accounts;
using Audiobook.Api.Http;
using Audiobook.Api.Storage;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Security;

/// <summary>
/// The small things that leak or weaken credentials: token answers no cache may keep, access tokens
/// that say what they are (RFC 9068) and are refused otherwise, password hashes made stronger at the
/// next sign-in, and a page that may talk to this deployment's bucket only.
/// </summary>
public sealed class TokenHygieneTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Answers_that_carry_tokens_are_never_stored()
    {
        using var user = await CreateAsync(apphost);

        var login = await user.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token);
        var refresh = await user.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken }, Token);

        foreach (var answer in new[] { login, refresh })
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.True(answer.Headers.CacheControl?.NoStore, $"{answer.RequestMessage?.RequestUri} can be cached: {answer.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Access_tokens_are_typed_at_jwt_and_a_token_of_another_type_is_refused()
    {
        using var user = await CreateAsync(apphost);
        var handler = new JsonWebTokenHandler();
        var issued = handler.ReadJsonWebToken(user.AccessToken);
        Assert.Equal("at+jwt", issued.Typ);

        // The same claims, signed with the same key, but typed as a plain JWT (an ID token, say).
        using var ssm = apphost.CreateSsmClient();
        var key = Convert.FromBase64String((await ssm.GetParameterAsync(new() { Name = "/audiobook/local/Jwt/SigningKey", WithDecryption = true }, Token)).Parameter.Value);
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(issued.EncodedPayload))!.AsObject().ToDictionary(c => c.Key, c => (object)c.Value!.ToString());
        var untyped = handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = SigningKeys.KeyId(key) }, SecurityAlgorithms.HmacSha256),
            TokenType = "JWT",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", untyped);

        await ExpectProblem(await user.Http.SendAsync(request, Token), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_hashed_with_fewer_iterations_is_rehashed_at_the_next_sign_in()
    {
        using var user = await CreateAsync(apphost);
        using var db = apphost.CreateDynamoClient();
        var table = apphost.Setting("Tables__Users");
        var weak = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }))
            .HashPassword(new User(user.Id, user.Email, "x", "", DateTimeOffset.UtcNow), user.Password);
        await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = new("USER#" + user.Id) },
            UpdateExpression = "SET passwordHash = :hash",
            ExpressionAttributeValues = new() { [":hash"] = new(weak) },
        }, Token);
        Assert.Equal(100_000, Iterations(weak));

        await Expect(await user.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token), HttpStatusCode.OK);

        var stored = (await db.GetItemAsync(table, new() { ["pk"] = new("USER#" + user.Id) }, true, Token)).Item["passwordHash"].S;
        Assert.Equal(210_000, Iterations(stored)); // OWASP's count for PBKDF2-HMAC-SHA512
        await Expect(await user.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token), HttpStatusCode.OK);
    }

    [Fact]
    public void In_aws_the_page_may_reach_this_deployments_bucket_and_no_other()
    {
        // As on Lambda: no endpoint override, whatever this process's environment says.
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("AKIAEXAMPLE", "secret"), new AmazonS3Config { RegionEndpoint = RegionEndpoint.USEast1, IgnoreConfiguredEndpointUrls = true });
        var storage = new StorageOptions { BucketName = "audiobook-prod-audio-123456789012-us-east-1" };
        var headers = new SecurityHeaders(s3, Options.Create(storage), new ConfigurationBuilder().Build());
        var upload = new Uri(s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = storage.BucketName,
            Key = "books/a/chapters/b.m4a",
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddHours(1),
        }));

        var connect = headers.Policy.Split("; ").Single(d => d.StartsWith("connect-src ", StringComparison.Ordinal)).Split(' ')[1..];

        Assert.Equal(["'self'", upload.GetLeftPart(UriPartial.Authority)], connect);
    }

    /// <summary>The iteration count of an ASP.NET Core Identity V3 hash (format marker, PRF, iterations, salt length…).</summary>
    private static int Iterations(string hash) => (int)BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hash).AsSpan(5, 4));
}
