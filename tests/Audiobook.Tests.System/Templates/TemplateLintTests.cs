namespace Audiobook.Tests.Infrastructure;

/// <summary>The CloudFormation templates and the scripts pass their linters, with no warnings.</summary>
public sealed class TemplateLintTests
{
    public static TheoryData<string> Templates() => [.. Directory.GetFiles(Repository.PathOf("aws"), "*.yaml").Select(f => Path.GetFileName(f))];

    public static TheoryData<string> Scripts() => [.. Directory.GetFiles(Repository.PathOf("aws"), "*.sh").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Template_passes_cfn_lint(string template)
    {
        var result = await ProcessRunner.RunAsync("cfn-lint", [Path.Combine("aws", template)], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"cfn-lint {template} exited {result.ExitCode}:\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_passes_shellcheck(string script)
    {
        var result = await ProcessRunner.RunAsync("shellcheck", [Path.Combine("aws", script)], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"shellcheck {script} exited {result.ExitCode}:\n{result.Output}");
    }
}
