namespace Audiobook.Api.Covers;

/// <summary>What the client is about to upload as a book's cover: a JPEG or PNG of at most 10 MB.</summary>
public sealed record CreateCoverRequest(string? ContentType, long? SizeBytes);
