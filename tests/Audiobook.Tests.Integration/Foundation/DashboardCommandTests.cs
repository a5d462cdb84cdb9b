using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.AppHost.Demo;
using Audiobook.AppHost.LocalAws;
using Audiobook.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Audiobook.Tests.Foundation;

/// <summary>The dashboard's commands, on an AppHost of their own: seed demo data, then reset everything.</summary>
[Collection(IsolatedAppHost.Name)]
public sealed class DashboardCommandTests(IsolatedAppHost apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seed_creates_the_demo_book_and_reset_drops_all_data_then_provisions_again()
    {
        var app = apphost.Host.App;
        var commands = app.Services.GetRequiredService<ResourceCommandService>();

        var seeded = await commands.ExecuteCommandAsync("api", DemoSeedCommand.Name, Token);
        Assert.True(seeded.Success, seeded.Message);

        using (var http = apphost.Host.CreateApiClient())
        {
            var token = await LoginAsDemoAsync(http);
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var books = await http.GetFromJsonAsync<JsonObject>("/api/v1/books", Token);
            var book = Assert.Single(books!["items"]!.AsArray())!;
            Assert.Equal(2, book["chapterCount"]!.GetValue<int>());
            Assert.InRange(book["totalDurationSeconds"]!.GetValue<double>(), 74.9, 75.2);
        }

        var reset = await commands.ExecuteCommandAsync("aws", ResetDataCommand.Name, Token).WaitAsync(TimeSpan.FromMinutes(3), Token);
        // The command is done when the restarted API is healthy; if not, its last lines say why.
        Assert.True(reset.Success, $"{reset.Message}\nThe API's last lines:\n{string.Join('\n', apphost.Host.Logs.TakeLast(60))}");

        using (var http = apphost.Host.CreateApiClient())
        {
            // The demo account is gone: its sign-in is the 401 of an unknown account, not an error.
            var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoSeedCommand.Email, password = DemoSeedCommand.Password }, Token);
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Token)).StatusCode);
        }
        var again = await commands.ExecuteCommandAsync("api", DemoSeedCommand.Name, Token);
        Assert.True(again.Success, again.Message);
    }

    private static async Task<string> LoginAsDemoAsync(HttpClient http)
    {
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = DemoSeedCommand.Email, password = DemoSeedCommand.Password }, Token);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.Content.ReadFromJsonAsync<JsonObject>(Token))!["accessToken"]!.GetValue<string>();
    }
}
