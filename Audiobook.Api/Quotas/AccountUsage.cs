namespace Audiobook.Api.Quotas;

/// <summary>What an account uses: its books, its chapters' bytes, and what its open uploads declared.</summary>
public sealed record AccountUsage(long Books, long StoredBytes, long UploadingBytes, int OpenUploads);

public sealed record AccountLimits(long Books, long StoredBytes, int OpenUploads);

/// <summary>GET /api/v1/me's account, with its usage and limits (stored bytes count what open uploads declared too).</summary>
public sealed record AccountWithUsage(string Id, string Email, string DisplayName, AccountUsage Usage, AccountLimits Limits);

/// <summary>The limit a request would pass: its name as the problem says it ("books", "storedBytes", "openUploads"), the limit, and the usage.</summary>
public sealed record QuotaRefusal(string Limit, long Allowed, long Used, string Detail);
