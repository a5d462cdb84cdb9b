using Audiobook.Api.Http;
using Audiobook.Api.Media;

namespace Audiobook.Api.Progress;

public sealed record ListeningProgress(
    string BookId,
    string ChapterId,
    double PositionSeconds,
    DateTimeOffset ClientUpdatedAt,
    DateTimeOffset UpdatedAt);

public sealed record ProgressList(IReadOnlyList<ListeningProgress> Items);

public sealed record SaveProgressRequest(string? ChapterId, double? PositionSeconds, DateTimeOffset? ClientUpdatedAt)
{
    /// <summary>How far ahead of the server's clock a device's clock may be.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="now">The server's time: a position recorded later than it (beyond the clock skew allowed) is refused.</param>
    public void Validate(FieldErrors errors, DateTimeOffset now)
    {
        if (!Ids.IsValid(ChapterId))
        {
            errors.Add("chapterId", "chapterId must be the id of a chapter of this book.");
        }
        if (PositionSeconds is not { } position || !double.IsFinite(position) || position < 0 || position > Mp4Inspection.MaxDurationSeconds)
        {
            errors.Add("positionSeconds", $"positionSeconds must be a number of seconds from 0 to {Mp4Inspection.MaxDurationSeconds:0} (no chapter lasts longer).");
        }
        if (ClientUpdatedAt is not { } clientTime)
        {
            errors.Add("clientUpdatedAt", "clientUpdatedAt is required: when the device recorded this position.");
        }
        else if (clientTime > now + MaxClockSkew)
        {
            errors.Add("clientUpdatedAt", "clientUpdatedAt is in the future; check the device's clock.");
        }
    }
}
