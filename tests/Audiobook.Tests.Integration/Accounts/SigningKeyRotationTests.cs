using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>
/// aws/rotate-keys.sh --jwt, --jwt-activate, --jwt-retire against the emulator's SSM, with API
/// instances started between the steps as Lambda would start them: nobody is signed out.
/// </summary>
public sealed class SigningKeyRotationTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Rotating_the_jwt_key_in_three_steps_keeps_every_token_valid_until_its_key_is_retired()
    {
        var environment = $"jwt{Guid.NewGuid():N}"[..12];
        using var ssm = apphost.CreateSsmClient();
        await ssm.PutParameterAsync(new()
        {
            Name = $"/audiobook/{environment}/Jwt/SigningKey",
            Type = Amazon.SimpleSystemsManagement.ParameterType.SecureString,
            Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
        }, Token);

        await using var before = Instance(environment);
        using var user = await CreateAsync(before.CreateClient());
        var oldToken = user.AccessToken;

        await RotateAsync(environment, "--jwt");
        await using var staged = Instance(environment);
        await ExpectMe(staged, oldToken, HttpStatusCode.OK);
        Assert.Equal(KeyId(oldToken), KeyId(await SignInAsync(staged, user))); // staged keys do not sign

        await RotateAsync(environment, "--jwt-activate");
        await using var activated = Instance(environment);
        var newToken = await SignInAsync(activated, user);
        Assert.NotEqual(KeyId(oldToken), KeyId(newToken));
        await ExpectMe(activated, oldToken, HttpStatusCode.OK);
        await ExpectMe(staged, newToken, HttpStatusCode.OK);        // still running from step 1: knows the new key
        await ExpectMe(before, newToken, HttpStatusCode.Unauthorized); // why step 1 exists: unstaged instances would not

        await RotateAsync(environment, "--jwt-retire");
        await using var retired = Instance(environment);
        await ExpectMe(retired, newToken, HttpStatusCode.OK);
        await ExpectMe(retired, oldToken, HttpStatusCode.Unauthorized);
        Assert.NotNull((await ssm.GetParameterAsync(new() { Name = $"/audiobook-deploy/{environment}/Secrets/Version" }, Token)).Parameter.Value);
    }

    private WebApplicationFactory<Audiobook.Api.ApiAssembly> Instance(string environment) =>
        InProcessApi.Create(apphost, "Development", new Dictionary<string, string> { ["Secrets:ParameterPath"] = $"/audiobook/{environment}/" });

    private async Task RotateAsync(string environment, string step)
    {
        var run = await ProcessRunner.RunAsync("bash", ["aws/rotate-keys.sh", "--environment", environment, step], apphost.AwsCliEnvironment(), cancellationToken: Token);
        Assert.True(run.ExitCode == 0, run.Output);
    }

    private static async Task<string> SignInAsync(WebApplicationFactory<Audiobook.Api.ApiAssembly> api, ApiUser user)
    {
        using var http = api.CreateClient();
        var tokens = await ReadAsync(await http.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { email = user.Email, password = user.Password }), Token), HttpStatusCode.OK);
        return tokens["accessToken"]!.GetValue<string>();
    }

    private static async Task ExpectMe(WebApplicationFactory<Audiobook.Api.ApiAssembly> api, string accessToken, HttpStatusCode expected)
    {
        using var http = api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await http.GetAsync("/api/v1/me", Token);
        Assert.Equal(expected, response.StatusCode);
    }

    private static string KeyId(string token) => new JsonWebToken(token).Kid;
}
