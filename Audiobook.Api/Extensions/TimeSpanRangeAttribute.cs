using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Audiobook.Api.Extensions;

/// <summary>
/// <c>[Range(typeof(TimeSpan), min, max)]</c> without the type converter Range looks up by reflection,
/// so the Native AOT build checks durations too. Bounds are inclusive, written as TimeSpan strings
/// ("00:01:00", "1.00:00:00").
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    /// <summary>Like Range, an absent value is Required's business, not this attribute's.</summary>
    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"The field {name} must be between {Minimum} and {Maximum}.");
}
