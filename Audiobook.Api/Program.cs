using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Covers;
using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Progress;
using Audiobook.Api.Quotas;
using Audiobook.Api.Startup;
using Audiobook.Api.Storage;
using Audiobook.Api.Streaming;
using Audiobook.Api.Telemetry;
using Audiobook.Api.Uploads;

// What makes the cold start fast (the secrets' read before the builder and the gate that waits for it,
// the first storage probe, no work the API has no use for, endpoints built once) is behind the three ColdStart
// calls: Startup/ColdStart.cs.
var builder = ColdStart.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddStorage();
builder.AddTelemetry();
builder.AddStreaming();
builder.AddAccounts();
builder.AddQuotas();
builder.AddBooks();
builder.AddUploads();
builder.AddCovers();
builder.AddChapters();
builder.AddProgress();

var app = ColdStart.Build(builder);

app.UseEmfMetrics();
app.UseForwardedHeaders();
app.UseMiddleware<SecurityHeaders>();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseExceptionHandler();
app.UseStatusCodePages();

// The web player (wwwroot): same origin as the API, public files, no CDN.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapApiReference();
app.MapDefaultEndpoints();
app.MapAccountsApi();
app.MapBooksApi();
app.MapUploadsApi();
app.MapCoversApi();
app.MapChaptersApi();
app.MapProgressApi();

ColdStart.Run(app);
