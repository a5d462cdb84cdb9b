using System.Net;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Foundation;

public sealed class ApiDocumentationTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_development_the_openapi_document_lists_every_route_with_its_responses()
    {
        using var http = apphost.CreateApiClient();
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json", Token))!;
        var paths = document["paths"]!.AsObject();

        string[] expected =
        [
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me", "/api/v1/me/progress", "/api/v1/books",
            "/api/v1/books/{bookId}", "/api/v1/books/{bookId}/uploads", "/api/v1/books/{bookId}/uploads/{uploadId}/complete",
            "/api/v1/books/{bookId}/chapters", "/api/v1/books/{bookId}/chapters/{chapterId}",
            "/api/v1/books/{bookId}/chapters/{chapterId}/stream", "/api/v1/books/{bookId}/chapters/{chapterId}/download",
            "/api/v1/books/{bookId}/progress",
        ];
        foreach (var path in expected)
        {
            Assert.True(paths.ContainsKey(path), $"OpenAPI lacks {path}");
            foreach (var (_, operation) in paths[path]!.AsObject())
            {
                Assert.NotEmpty(operation!["responses"]!.AsObject());
            }
        }
        var reference = await http.GetAsync("/scalar/v1", Token);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task In_production_there_are_no_api_docs()
    {
        await using var api = InProcessApi.Create(apphost, "Production");
        using var user = await ApiUser.CreateAsync(api.CreateClient());
        var http = user.Http;

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/openapi/v1.json", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/scalar/v1", Token)).StatusCode);
    }
}
