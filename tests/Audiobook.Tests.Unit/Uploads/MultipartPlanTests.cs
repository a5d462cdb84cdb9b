using Audiobook.Api.Uploads;

namespace Audiobook.Tests.Uploads;

public sealed class MultipartPlanTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(20 * MiB, 8 * MiB, 3, 4 * MiB)]
    [InlineData(24 * MiB, 8 * MiB, 3, 8 * MiB)]
    [InlineData(5 * MiB, 8 * MiB, 1, 5 * MiB)]
    [InlineData(64 * MiB + 1, 8 * MiB, 9, 1)]
    public void Every_part_has_the_part_size_but_the_last_which_has_the_rest(long size, long partSize, int count, long last)
    {
        var plan = MultipartPlan.For(size, partSize);

        Assert.Equal(partSize, plan.PartSizeBytes);
        Assert.Equal(count, plan.PartCount);
        Assert.Equal(last, plan.SizeOf(count));
        Assert.Equal(size, Enumerable.Range(1, count).Sum(plan.SizeOf));
    }

    [Fact]
    public void A_file_that_would_need_more_than_10000_parts_gets_larger_parts_in_whole_MiB()
    {
        var plan = MultipartPlan.For(100L * 1024 * MiB, 8 * MiB);

        Assert.Equal(11 * MiB, plan.PartSizeBytes);
        Assert.True(plan.PartCount <= MultipartPlan.MaxParts);
        Assert.Equal(100L * 1024 * MiB, Enumerable.Range(1, plan.PartCount).Sum(plan.SizeOf));
    }

    [Fact]
    public void Check_names_missing_parts_and_parts_of_the_wrong_size_or_number()
    {
        var plan = MultipartPlan.For(20 * MiB, 8 * MiB);
        StoredPart[] stored = [new(1, 8 * MiB, "a"), new(3, 4 * MiB - 1, "c"), new(4, 1, "d")];

        var (missing, wrongSize) = plan.Check(stored);

        Assert.Equal([2], missing);
        Assert.Equal([3, 4], wrongSize);
    }

    [Fact]
    public void Check_of_every_part_in_its_size_finds_nothing()
    {
        var plan = MultipartPlan.For(20 * MiB, 8 * MiB);

        var (missing, wrongSize) = plan.Check([new(2, 8 * MiB, "b"), new(1, 8 * MiB, "a"), new(3, 4 * MiB, "c")]);

        Assert.Empty(missing);
        Assert.Empty(wrongSize);
    }
}
