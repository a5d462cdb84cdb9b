using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Progress;
using Audiobook.Api.Secrets;
using Audiobook.Api.Storage;
using Audiobook.Api.Uploads;

// The secrets' round trip to SSM, with the AWS SDK's first use, starts before anything else when the
// environment names their path (Lambda, the AppHost) and runs while the app is composed (start-up,
// bench/); nothing reads a secret before they join the configuration, below.
var early = SsmParameterConfiguration.StartLoadingSsmParameters(args);
var builder = WebApplication.CreateBuilder(args);
var secrets = builder.StartLoadingSsmParameters(early);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

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
app.MapChaptersApi();
app.MapProgressApi();

// While SSM answers, what needs no secret gets ready: the first /health's storage probe starts (storage
// settings never come from SSM), and the hosted services (the server, telemetry) are composed, which
// the host would otherwise do first thing when it starts. None of them reads a secret.
app.StartStorageProbe();
_ = app.Services.GetServices<IHostedService>();
// The secrets join the configuration (waiting for SSM if need be) before anything reads them.
builder.Configuration.AddSsmParameters(secrets);
app.Run();
