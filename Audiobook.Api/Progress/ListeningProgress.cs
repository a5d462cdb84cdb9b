namespace Audiobook.Api.Progress;

public sealed record ListeningProgress(
    string BookId,
    string ChapterId,
    double PositionSeconds,
    DateTimeOffset ClientUpdatedAt,
    DateTimeOffset UpdatedAt);

public sealed record ProgressList(IReadOnlyList<ListeningProgress> Items);

public sealed record SaveProgressRequest(string? ChapterId, double? PositionSeconds, DateTimeOffset? ClientUpdatedAt);
