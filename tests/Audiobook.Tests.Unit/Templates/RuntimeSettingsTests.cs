using Audiobook.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Audiobook.Tests.Templates;

/// <summary>
/// The function's <c>DOTNET_</c> settings must be ones its Native AOT executable applies. That runtime
/// reads its GC settings as bare hexadecimal and silently ignores a value with a <c>0x</c> prefix
/// (measured with probes; dotnet/runtime#85556): <c>DOTNET_GCgen0size: "0x400000"</c> sat in
/// aws/service.yaml, never applied, until the start-up work found it (README, "Start-up").
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("DOTNET_GCgen0size", "0x400000", false)]
    [InlineData("DOTNET_GCHeapHardLimit", "0X8000000", false)]
    [InlineData("DOTNET_GCgen0size", "400000", true)]
    [InlineData("DOTNET_gcServer", "1", true)]
    [InlineData("DOTNET_hostBuilder__reloadConfigOnChange", "false", true)]
    public void Native_aot_applies_a_gc_setting_only_as_bare_hexadecimal(string name, string value, bool applied) =>
        Assert.Equal(applied, IsAppliedByNativeAot(name, value));

    [Fact]
    public void Every_DOTNET_setting_of_the_function_is_in_a_form_native_aot_applies()
    {
        var variables = (YamlMappingNode)Template.Load("service.yaml").Properties("ApiFunction")["Environment"]["Variables"];
        var settings = variables.Children
            .Select(setting => (Name: ((YamlScalarNode)setting.Key).Value!, Value: (setting.Value as YamlScalarNode)?.Value))
            .Where(setting => setting.Name.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(settings);
        Assert.All(settings, setting => Assert.True(setting.Value is not null && IsAppliedByNativeAot(setting.Name, setting.Value),
            $"{setting.Name}: \"{setting.Value}\" would be ignored by the native executable: GC settings are bare hexadecimal (\"400000\", not \"0x400000\")."));
    }

    /// <summary>GC settings (<c>DOTNET_GC…</c>, <c>DOTNET_gc…</c>) are hexadecimal digits only; other settings are configuration, any text.</summary>
    private static bool IsAppliedByNativeAot(string name, string value) =>
        !name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase) || (value.Length > 0 && value.All(char.IsAsciiHexDigit));
}
