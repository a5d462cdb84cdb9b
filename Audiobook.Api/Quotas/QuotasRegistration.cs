using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Audiobook.Api.Quotas;

/// <summary>Per-account limits (section "Quotas"), kept by <see cref="UsageStore"/>.</summary>
public static class QuotasRegistration
{
    public static IHostApplicationBuilder AddQuotas(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateWith<QuotaOptions, QuotaOptionsValidator>().ValidateOnStart();
        builder.Services.AddSingleton<UsageStore>();
        return builder;
    }

    /// <summary>403: the limit a request would pass, by name, with the limit and the usage.</summary>
    public static ProblemHttpResult ToProblem(this QuotaRefusal refusal) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account limit reached", detail: refusal.Detail,
            extensions: new Dictionary<string, object?> { ["limit"] = refusal.Limit, ["allowed"] = refusal.Allowed, ["used"] = refusal.Used });
}
