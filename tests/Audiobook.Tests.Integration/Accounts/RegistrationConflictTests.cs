using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>
/// Two registrations of one address at once: in AWS the loser's transaction may be cancelled as a
/// TransactionConflict rather than a failed condition (the emulator serialises DynamoDB, so it never
/// does this by itself). The conflict is injected here exactly as DynamoDB reports it.
/// </summary>
public sealed class RegistrationConflictTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_registration_that_conflicts_with_one_of_the_same_address_answers_409()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        using (var first = Anonymous(apphost))
        {
            await Expect(await RegisterAsync(first, email), HttpStatusCode.Created);
        }
        await using var api = ConflictingOnce(email, out var conflict);

        var second = await RegisterAsync(api.CreateClient(), email);

        Assert.True(conflict.HasStruck, "the conflict was never injected");
        await ExpectProblem(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_registration_whose_transaction_conflicted_with_another_is_retried_and_succeeds()
    {
        var email = $"once-{Guid.NewGuid():N}@example.com";
        await using var api = ConflictingOnce(email, out var conflict);

        var registered = await RegisterAsync(api.CreateClient(), email);

        Assert.True(conflict.HasStruck, "the conflict was never injected");
        await Expect(registered, HttpStatusCode.Created);
        using var http = Anonymous(apphost);
        await Expect(await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "a long listening passphrase" }, Token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_registration_that_keeps_colliding_answers_503_with_retry_after_and_creates_nothing()
    {
        var email = $"always-{Guid.NewGuid():N}@example.com";
        await using var api = Conflicting(email, everyTime: true, out var conflict);

        var registered = await RegisterAsync(api.CreateClient(), email);

        Assert.True(conflict.HasStruck, "the conflict was never injected");
        var problem = await ExpectProblem(registered, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("retry", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(registered.Headers.RetryAfter);
        // Nothing was stored: the address is free for a registration that does not collide.
        using var http = Anonymous(apphost);
        await Expect(await RegisterAsync(http, email), HttpStatusCode.Created);
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Audiobook.Api.ApiAssembly> ConflictingOnce(string email, out FaultInjection<IAmazonDynamoDB> conflict) =>
        Conflicting(email, everyTime: false, out conflict);

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Audiobook.Api.ApiAssembly> Conflicting(string email, bool everyTime, out FaultInjection<IAmazonDynamoDB> conflict)
    {
        FaultInjection<IAmazonDynamoDB>? injected = null;
        var api = InProcessApi.Create(apphost, "Development").WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(IAmazonDynamoDB));
            services.Remove(original);
            services.AddSingleton(sp => FaultInjection<IAmazonDynamoDB>.Wrap((IAmazonDynamoDB)original.ImplementationFactory!(sp), FaultTiming.BeforeCall,
                (m, args) => Registers(m, args, email), out injected, TransactionConflict, everyTime));
        }));
        // The wrapped client is made when first asked for: ask now. Building the host alone left that to
        // whichever start-up work asked first, sometimes after this returned (a null handle, seen in CI).
        _ = api.Services.GetRequiredService<IAmazonDynamoDB>();
        conflict = injected ?? throw new InvalidOperationException("The DynamoDB client was not wrapped.");
        return api;
    }

    private static bool Registers(MethodInfo method, object?[]? args, string email) =>
        method.Name == "TransactWriteItemsAsync" && args?[0] is TransactWriteItemsRequest request
        && request.TransactItems.Any(i => i.Put?.Item.TryGetValue("pk", out var pk) == true && pk.S == "EMAIL#" + email);

    /// <summary>As DynamoDB cancels a transaction that collided with another on the same item.</summary>
    private static TransactionCanceledException TransactionConflict() => new("Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]")
    {
        ErrorCode = "TransactionCanceledException",
        StatusCode = HttpStatusCode.BadRequest,
        CancellationReasons = [new CancellationReason { Code = "TransactionConflict", Message = "Transaction is ongoing for the item" }, new CancellationReason { Code = "None" }],
    };

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string email) =>
        http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "a long listening passphrase", displayName = "Twice" }, Token);
}
