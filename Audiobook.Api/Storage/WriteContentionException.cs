namespace Audiobook.Api.Storage;

/// <summary>A write lost its race <see cref="WriteRetry.MaxAttempts"/> times in a row; nothing of it was stored.</summary>
public sealed class WriteContentionException(string what, Exception last)
    : Exception($"Could not {what} after {WriteRetry.MaxAttempts} attempts: other writers kept changing it first.", last);
