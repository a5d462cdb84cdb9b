using Audiobook.Api.Media;
using Audiobook.Load;
using Audiobook.Tests.Media;

namespace Audiobook.Tests.Media;

/// <summary>Files past 4 GiB, as a multipart upload makes them: their boxes say their size in 64 bits.</summary>
public sealed class LargeFileInspectionTests
{
    [Theory]
    [InlineData(4L * 1024 * 1024 * 1024 - 1)]
    [InlineData(5L * 1024 * 1024 * 1024)]
    [InlineData(10L * 1024 * 1024 * 1024)]
    public async Task A_book_with_its_moov_after_gigabytes_is_playable_with_a_few_reads(long size)
    {
        var book = PaddedMp4.MoovAtEnd(Mp4Samples.Read("moov-at-end.m4a"), size);

        var inspection = await Mp4Inspector.InspectAsync(book, TestContext.Current.CancellationToken);

        Assert.Equal(size, book.Length);
        Assert.True(inspection.IsPlayable, inspection.Reason);
        Assert.NotNull(inspection.DurationSeconds);
        Assert.True(inspection.BytesRead < 1024 * 1024, $"{inspection.BytesRead} bytes read");
    }
}
