using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Telemetry;

/// <summary>Where the service's metrics go as Embedded Metric Format lines (<see cref="EmfMetrics"/>).</summary>
public sealed class EmfOptions
{
    public const string Section = "Metrics";

    /// <summary>The one dimension every metric has: the deployment it comes from.</summary>
    public const string EnvironmentDimension = "Environment";

    /// <summary>The CloudWatch namespace (aws/service.yaml's dashboard reads the metrics there).</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_/#:.\-]{1,255}$", ErrorMessage = "Metrics:Namespace must be a CloudWatch namespace (letters, digits, _ / # : . -).")]
    public string Namespace { get; set; } = "Audiobook";

    /// <summary>The environment's name: set, it turns EMF on (aws/service.yaml sets it; locally it is unset).</summary>
    [RegularExpression("^[a-z][a-z0-9-]{1,20}$", ErrorMessage = "Metrics:Environment must be an environment name such as staging.")]
    public string? Environment { get; set; }

    public bool IsEnabled => !string.IsNullOrEmpty(Environment);
}

/// <summary>Checks the attributes of <see cref="EmfOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class EmfOptionsValidator : IValidateOptions<EmfOptions>;
