using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Security;

/// <summary>
/// No number a client or a file sends reaches the store outside the range it can hold or a chapter can
/// have, and no list grows without bound: a crafted duration is "unknown", an absurd position is a 400,
/// and a book of thousands of chapters answers in bounded pages.
/// </summary>
public sealed class NumberBoundsTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_file_claiming_to_last_136_years_is_a_chapter_of_unknown_duration()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, WithMovieDuration(Mp4Samples.Read("faststart.m4a"), timescale: 1, duration: 0xFFFF_FFFE), "long.m4a");

        var chapter = await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);

        Assert.Null(chapter["durationSeconds"]);
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(0, book["totalDurationSeconds"]!.GetValue<double>());
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e126)]
    [InlineData(7 * 24 * 3600 + 1)]
    public async Task A_position_no_chapter_can_reach_is_a_400_even_when_the_duration_is_unknown(double position)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, WithMovieDuration(Mp4Samples.Read("faststart.m4a"), timescale: 1, duration: 0xFFFF_FFFE), "long.m4a");
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);

        var saved = await user.Http.PutAsJsonAsync($"/api/v1/books/{bookId}/progress",
            new { chapterId = IdOf(chapter), positionSeconds = position, clientUpdatedAt = DateTimeOffset.UtcNow }, Token);

        var problem = await ExpectProblem(saved, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["positionSeconds"]);
    }

    [Fact]
    public async Task A_book_of_5000_chapters_lists_in_bounded_pages_in_order()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await StoreChaptersAsync(bookId, 5000);

        var first = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);

        var page = first["items"]!.AsArray();
        Assert.InRange(page.Count, 1, 1000);
        Assert.NotNull(first["nextCursor"]?.GetValue<string>());
        var numbers = new List<int>(page.Select(c => c!["number"]!.GetValue<int>()));
        var cursor = first["nextCursor"]!.GetValue<string>();
        while (cursor is not null)
        {
            var next = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters?limit=1000&cursor={cursor}", Token), HttpStatusCode.OK);
            Assert.InRange(next["items"]!.AsArray().Count, 1, 1000);
            numbers.AddRange(next["items"]!.AsArray().Select(c => c!["number"]!.GetValue<int>()));
            cursor = next["nextCursor"]?.GetValue<string>();
        }
        Assert.Equal(Enumerable.Range(1, 5000), numbers);
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters?limit=1001", Token), HttpStatusCode.BadRequest);
    }

    /// <summary>Chapters and their number claims written straight to the table, as 5,000 completed uploads would leave them.</summary>
    private async Task StoreChaptersAsync(string bookId, int count)
    {
        using var db = apphost.CreateDynamoClient();
        var table = apphost.Setting("Tables__AudioChapters");
        var items = Enumerable.Range(1, count).SelectMany(n =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new[]
            {
                new Dictionary<string, AttributeValue>
                {
                    ["bookId"] = new(bookId), ["sk"] = new("CHAPTER#" + id), ["chapterId"] = new(id), ["number"] = new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["title"] = new($"Chapter {n}"), ["fileName"] = new($"{n}.m4a"), ["contentType"] = new("audio/mp4"), ["sizeBytes"] = new() { N = "1000" },
                    ["objectKey"] = new($"books/{bookId}/chapters/{id}.m4a"), ["createdAt"] = new(DateTimeOffset.UtcNow.ToString("O")),
                },
                new Dictionary<string, AttributeValue> { ["bookId"] = new(bookId), ["sk"] = new($"NUMBER#{n:D6}"), ["chapterId"] = new(id) },
            };
        });
        foreach (var batch in items.Chunk(25))
        {
            await db.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new() { [table] = [.. batch.Select(item => new WriteRequest(new PutRequest(item)))] },
            }, Token);
        }
    }

    /// <summary>The file with its movie header (mvhd, version 0) claiming another timescale and duration.</summary>
    private static byte[] WithMovieDuration(byte[] file, uint timescale, uint duration)
    {
        var copy = (byte[])file.Clone();
        var at = copy.AsSpan().IndexOf("mvhd"u8);
        Assert.True(at > 0 && copy[at + 4] == 0, "the sample has no version-0 mvhd");
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 4 + 12), timescale);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 4 + 16), duration);
        return copy;
    }
}
