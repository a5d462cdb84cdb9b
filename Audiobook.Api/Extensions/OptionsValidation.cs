using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Extensions;

public static class OptionsValidation
{
    /// <summary>
    /// Validates the options with a validator the options source generator wrote (<c>[OptionsValidator]</c>)
    /// instead of ValidateDataAnnotations, which reads the attributes by reflection and cannot be trusted
    /// once Native AOT has trimmed the app.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateWith<TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this OptionsBuilder<TOptions> options)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        options.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return options;
    }
}
