using Audiobook.Api.Extensions;

namespace Audiobook.Tests.Foundation;

public sealed class TimeSpanRangeTests
{
    private readonly TimeSpanRangeAttribute range = new("00:01:00", "1.00:00:00");

    [Theory]
    [InlineData("00:01:00", true)]     // bounds are inclusive, as Range's
    [InlineData("1.00:00:00", true)]
    [InlineData("02:30:00", true)]
    [InlineData("00:00:59", false)]
    [InlineData("1.00:00:01", false)]
    [InlineData("-00:05:00", false)]
    public void A_duration_is_valid_only_between_the_bounds(string value, bool valid) =>
        Assert.Equal(valid, range.IsValid(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void An_absent_value_is_left_to_Required() => Assert.True(range.IsValid(null));

    [Fact]
    public void The_message_names_the_setting_and_the_bounds() =>
        Assert.Equal("The field Streaming:TimeBucket must be between 00:01:00 and 1.00:00:00.", range.FormatErrorMessage("Streaming:TimeBucket"));
}
