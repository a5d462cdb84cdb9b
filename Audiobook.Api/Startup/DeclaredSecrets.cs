using System.Collections.Frozen;
using Audiobook.Api.Accounts;
using Audiobook.Api.Streaming;

namespace Audiobook.Api.Startup;

/// <summary>
/// The only configuration keys that may come from SSM Parameter Store: secrets. Every other setting
/// comes from the template's environment (aws/service.yaml), the same definition the local profiles
/// run from; a parameter under the secrets' path that is not one of these stops start-up, named.
/// </summary>
public static class DeclaredSecrets
{
    public static FrozenSet<string> Keys { get; } = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        $"{JwtOptions.Section}:{nameof(JwtOptions.SigningKey)}",
        $"{JwtOptions.Section}:{nameof(JwtOptions.NextSigningKey)}",
        $"{JwtOptions.Section}:{nameof(JwtOptions.PreviousSigningKey)}",
        .. CloudFrontOptions.KeySlots.Select(slot => $"{CloudFrontOptions.Section}:{nameof(CloudFrontOptions.Keys)}:{slot}:{nameof(CloudFrontKey.PrivateKey)}"),
    ]);
}
