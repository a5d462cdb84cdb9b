using Audiobook.Api.Extensions;
using Audiobook.Api.Startup;
namespace Audiobook.Api.Streaming;

public static class StreamingRegistration
{
    /// <summary>
    /// Production streams through CloudFront (signed URLs) when a distribution is configured;
    /// otherwise (locally) straight from S3 with presigned URLs. Only configuration decides.
    /// </summary>
    public static IHostApplicationBuilder AddStreaming(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StreamingOptions>().BindConfiguration(StreamingOptions.Section).ValidateWith<StreamingOptions, StreamingOptionsValidator>().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<StreamLookups>();
        if (CloudFrontOptions.IsConfigured(builder.Configuration))
        {
            services.AddOptions<CloudFrontOptions>().BindConfiguration(CloudFrontOptions.Section).ValidateWith<CloudFrontOptions, CloudFrontOptionsValidator>()
                .Validate(CloudFrontOptions.HasActiveKey,
                    "CloudFront:Keys:<KeySlot>:PrivateKey must hold a PEM private key; it is read from SSM (<Secrets:ParameterPath>CloudFront/Keys/<slot>/PrivateKey).")
                .ValidateOnceSecretsJoin();
            services.AddSingleton<IStreamUrlSigner, CloudFrontStreamUrlSigner>();
        }
        else
        {
            services.AddSingleton<IStreamUrlSigner, S3PresignedUrlSigner>();
        }
        return builder;
    }
}
