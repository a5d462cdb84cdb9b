using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Progress;
using Audiobook.Api.Uploads;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

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

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference().AllowAnonymous();
}

app.MapDefaultEndpoints();
app.MapAccountsApi();
app.MapBooksApi();
app.MapUploadsApi();
app.MapChaptersApi();
app.MapProgressApi();

app.Run();
