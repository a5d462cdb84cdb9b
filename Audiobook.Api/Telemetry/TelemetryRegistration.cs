using Audiobook.Api.Extensions;

namespace Audiobook.Api.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The API's own metrics, and their CloudWatch embedded-metric-format writer (section "Emf").</summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AudiobookMetrics>();
        builder.Services.AddOptions<EmfOptions>().BindConfiguration(EmfOptions.Section).ValidateWith<EmfOptions, EmfOptionsValidator>().ValidateOnStart();
        builder.Services.AddSingleton<EmfMetrics>();
        return builder;
    }
}
