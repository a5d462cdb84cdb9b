using System.Net;
using System.Net.Http.Json;
using Audiobook.Api.Accounts;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>
/// The wait after too many wrong passwords counts from the answer, not from when the attempt began:
/// a password check that takes longer than the wait (a busy instance; the hash is slow on purpose)
/// must not use the wait up. Here every wrong password takes 1.5 s to check, longer than the first wait (1 s).
/// </summary>
public sealed class SlowPasswordCheckTests(AppHostFixture apphost)
{
    [Fact]
    public async Task The_wait_after_the_fifth_wrong_password_starts_when_its_check_ends()
    {
        await using var api = InProcessApi.Create(apphost, "Development").WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(IPasswordHasher<User>));
            services.Remove(original);
            services.AddSingleton<IPasswordHasher<User>>(new SlowWhenWrong((IPasswordHasher<User>)original.ImplementationInstance!));
        }));
        using var user = await CreateAsync(api.CreateClient());
        using var anyone = api.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await ExpectProblem(await anyone.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = $"wrong guess {i}" }, Token),
                HttpStatusCode.Unauthorized);
        }

        var right = await anyone.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token);

        await ExpectProblem(right, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(right.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 2);
    }

    private sealed class SlowWhenWrong(IPasswordHasher<User> inner) : IPasswordHasher<User>
    {
        public string HashPassword(User user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            var result = inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
            if (result == PasswordVerificationResult.Failed)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1.5));
            }
            return result;
        }
    }
}
