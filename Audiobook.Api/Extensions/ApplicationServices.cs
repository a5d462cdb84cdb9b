using Audiobook.Api.Secrets;
using Audiobook.Api.Storage;

namespace Audiobook.Api.Extensions;

public static class ApplicationServices
{
    /// <summary>Everything the API registers, in one place, so Program.cs stays a table of contents.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSsmParameters();
        builder.AddAudiobookStorage();
        return builder;
    }
}
