using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Covers;
using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Progress;
using Audiobook.Api.Secrets;
using Audiobook.Api.Storage;
using Audiobook.Api.Telemetry;
using Audiobook.Api.Uploads;

// The secrets' round trip to SSM, with the AWS SDK's first use, starts before anything else when the
// environment names their path (Lambda, the AppHost) and runs while the app is composed and the server
// starts (start-up, bench/); the secrets gate lets no request through before they are in and valid.
var early = SsmParameterConfiguration.StartLoadingSsmParameters(args);
var builder = WebApplication.CreateBuilder(args);
builder.AddSecrets(early);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseSecretsGate();
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

// The first /health's storage probe starts while the server does (storage settings never come from SSM).
app.StartStorageProbe();
app.Run();
