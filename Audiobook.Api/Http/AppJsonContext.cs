using System.Text.Json;
using System.Text.Json.Serialization;
using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Covers;
using Audiobook.Api.Media;
using Audiobook.Api.Progress;
using Audiobook.Api.Quotas;
using Audiobook.Api.Streaming;
using Audiobook.Api.Uploads;

namespace Audiobook.Api.Http;

/// <summary>Source-generated JSON for every request and response: no reflection at run time (keeps Native AOT possible).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(AccountWithUsage))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateBookRequest))]
[JsonSerializable(typeof(UpdateBookRequest))]
[JsonSerializable(typeof(BookResponse))]
[JsonSerializable(typeof(BookPage))]
[JsonSerializable(typeof(CreateUploadRequest))]
[JsonSerializable(typeof(CreateCoverRequest))]
[JsonSerializable(typeof(UploadTicket))]
[JsonSerializable(typeof(MultipartUploadTicket))]
[JsonSerializable(typeof(PartUrlsRequest))]
[JsonSerializable(typeof(PartUrls))]
[JsonSerializable(typeof(StoredParts))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(ChapterResponse))]
[JsonSerializable(typeof(ChapterList))]
[JsonSerializable(typeof(UpdateChapterRequest))]
[JsonSerializable(typeof(SignedUrl))]
[JsonSerializable(typeof(SaveProgressRequest))]
[JsonSerializable(typeof(ListeningProgress))]
[JsonSerializable(typeof(ProgressList))]
[JsonSerializable(typeof(IReadOnlyList<ChapterMarker>))]
public sealed partial class AppJsonContext : JsonSerializerContext;
