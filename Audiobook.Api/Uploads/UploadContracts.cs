namespace Audiobook.Api.Uploads;

public sealed record CreateUploadRequest(string? FileName, string? ContentType, long? SizeBytes, string? Title);

public sealed record UploadTicket(string UploadId, string Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);
