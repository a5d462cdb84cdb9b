using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Http;

/// <summary>
/// Unicode edge cases in every text field a user writes: each is either kept exactly (in NFC, as
/// read back) or refused with a 400 naming the field — never a 500, never silently mangled.
/// </summary>
public sealed class UnicodeFieldTests(AppHostFixture apphost)
{
    /// <summary>Input, and what must come back (null: refused with 400).</summary>
    public static TheoryData<string, string?> Texts => new()
    {
        { "Cafe\u0301 Ame\u0301lie", "Caf\u00e9 Am\u00e9lie" },                 // NFD becomes NFC
        { "\u1100\u1161\u11a8 \u4e2d\u6587 \u65e5\u672c\u8a9e", "\uac01 \u4e2d\u6587 \u65e5\u672c\u8a9e" }, // Hangul jamo compose
        { "\U0001F3A7 \U0001F469\U0001F3FD\u200D\U0001F4BB", "\U0001F3A7 \U0001F469\U0001F3FD\u200D\U0001F4BB" }, // astral, ZWJ sequence
        { "\u202Eevil\u202C txt", "\u202Eevil\u202C txt" },                     // bidi controls are format characters: kept
        { "\uFEFFzero\u200Bwidth", "\uFEFFzero\u200Bwidth" },
        { "  padded  ", "padded" },
        { "tab\there", null },
        { "next\u0085line", null },                                             // C1 control
        { "escape\u001b[31m", null },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Book_fields(string input, string? expected)
    {
        using var user = await CreateAsync(apphost);
        foreach (var field in new[] { "title", "author", "narrator", "description" })
        {
            var body = new JsonObject { ["title"] = "T", ["author"] = "A", [field] = input };
            var response = await user.Http.PostAsJsonAsync("/api/v1/books", body, Token);
            if (expected is null && field != "description")
            {
                var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);
                Assert.NotNull(problem["errors"]![field]);
                continue;
            }
            // The description is multi-line: line breaks and tabs are kept there as written, other controls are refused.
            var multiline = field == "description" && !input.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));
            if (expected is null && !multiline)
            {
                var refused = await ExpectProblem(response, HttpStatusCode.BadRequest);
                Assert.NotNull(refused["errors"]![field]);
                continue;
            }
            var book = await ReadAsync(response, HttpStatusCode.Created);
            var again = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{IdOf(book)}", Token), HttpStatusCode.OK);
            Assert.Equal(expected ?? input, again[field]!.GetValue<string>());
        }
        var page = await ReadAsync(await user.Http.GetAsync("/api/v1/books?limit=100", Token), HttpStatusCode.OK);
        Assert.All(page["items"]!.AsArray(), b => Assert.DoesNotContain('\u001b', b!["title"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Display_name(string input, string? expected)
    {
        using var http = Anonymous(apphost);
        var response = await http.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"u-{Guid.NewGuid():N}@example.com", password = "a long listening passphrase", displayName = input }, Token);

        if (expected is null)
        {
            Assert.NotNull((await ExpectProblem(response, HttpStatusCode.BadRequest))["errors"]!["displayName"]);
            return;
        }
        Assert.Equal(expected, (await ReadAsync(response, HttpStatusCode.Created))["displayName"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Chapter_title_on_upload_and_rename(string input, string? expected)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var created = await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = bytes.Length, title = input }, Token);
        if (expected is null)
        {
            Assert.NotNull((await ExpectProblem(created, HttpStatusCode.BadRequest))["errors"]!["title"]);
            Assert.Empty(await apphost.UploadRecordsAsync(bookId)); // refused: nothing stored
        }
        else
        {
            var ticket = await ReadAsync(created, HttpStatusCode.Created);
            await PutAsync(ticket, bytes);
            var chapter = await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
            Assert.Equal(expected, chapter["title"]!.GetValue<string>());
        }

        var existing = await user.AddChapterAsync(bookId);
        var renamed = await user.Http.PatchAsJsonAsync($"/api/v1/books/{bookId}/chapters/{IdOf(existing)}", new { title = input }, Token);
        if (expected is null)
        {
            Assert.NotNull((await ExpectProblem(renamed, HttpStatusCode.BadRequest))["errors"]!["title"]);
            return;
        }
        await ReadAsync(renamed, HttpStatusCode.OK);
        var read = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(existing)}", Token), HttpStatusCode.OK);
        Assert.Equal(expected, read["title"]!.GetValue<string>());
    }

    /// <summary>File names are cleaned rather than refused: controls, bidi controls and BOMs (which can
    /// disguise an extension) are dropped, paths cut off; the rest is kept in NFC.</summary>
    public static TheoryData<string, string> FileNames => new()
    {
        { "Cafe\u0301.m4a", "Caf\u00e9.m4a" },
        { "\U0001F3A7 \U0001F469\U0001F3FD\u200D\U0001F4BB.m4a", "\U0001F3A7 \U0001F469\U0001F3FD\u200D\U0001F4BB.m4a" },
        { "\u202Eevil\u202C txt.m4a", "evil txt.m4a" },
        { "clip\u202Ea4m.mp3", "clipa4m.mp3" },
        { "\uFEFFzero\u200Bwidth.m4a", "zero\u200Bwidth.m4a" },
        { "tab\there.m4a", "tabhere.m4a" },
        { "escape\u001b[31m.m4a", "escape[31m.m4a" },
        { "../../etc/passwd.m4a", "passwd.m4a" },
        { "C:\\Users\\me\\Chapitre \u00e9t\u00e9.M4A", "Chapitre \u00e9t\u00e9.m4a" },
        { "  padded  .m4a", "padded.m4a" },
    };

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task Upload_file_name(string input, string expected)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");

        var created = await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = input, contentType = "audio/mp4", sizeBytes = bytes.Length }, Token);

        if (!expected.EndsWith(".m4a", StringComparison.Ordinal))
        {
            // Cleaning revealed another extension: refused up front, nothing stored.
            await ExpectProblem(created, HttpStatusCode.UnsupportedMediaType);
            Assert.Empty(await apphost.UploadRecordsAsync(bookId));
            return;
        }
        var ticket = await ReadAsync(created, HttpStatusCode.Created);
        await PutAsync(ticket, bytes);
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        Assert.Equal(expected, chapter["fileName"]!.GetValue<string>());
    }
}
