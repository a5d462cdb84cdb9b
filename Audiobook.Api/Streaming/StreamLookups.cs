using Audiobook.Api.Chapters;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>
/// Remembers, briefly, which chapter (and so which object) a stream URL request resolves to, with the
/// book's owner: a player asks again on every resume, chapter change and expired URL, and two
/// DynamoDB reads per ask would be the whole cost of issuing a URL. Safe to keep: an entry only
/// answers the owner it was looked up for, and a chapter deleted elsewhere meanwhile yields a URL
/// to an object that no longer exists, for at most <see cref="StreamingOptions.LookupCacheDuration"/>.
/// </summary>
public sealed class StreamLookups(IMemoryCache cache, IOptions<StreamingOptions> options)
{
    public async Task<Chapter?> FindAsync(string ownerId, string bookId, string chapterId, Func<Task<Chapter?>> load)
    {
        var key = Key(bookId, chapterId);
        if (cache.TryGetValue(key, out Entry? known) && known!.OwnerId == ownerId)
        {
            return known.Chapter;
        }
        var chapter = await load();
        if (chapter is not null && options.Value.LookupCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, new Entry(ownerId, chapter), options.Value.LookupCacheDuration);
        }
        return chapter;
    }

    public void Forget(string bookId, string chapterId) => cache.Remove(Key(bookId, chapterId));

    private static string Key(string bookId, string chapterId) => $"stream-lookup:{bookId}:{chapterId}";

    private sealed record Entry(string OwnerId, Chapter Chapter);
}
