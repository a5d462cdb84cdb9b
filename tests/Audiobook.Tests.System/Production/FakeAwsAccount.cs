using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Production;

/// <summary>
/// An AWS account as the deployment scripts see it through the fake AWS CLI (FakeAws/aws, first on
/// PATH): its stacks, parameters and objects in a state file, failures a test injects, and every call
/// the scripts made. Nothing reaches AWS.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FakeAwsAccount : IDisposable
{
    public const string Environment = "staging";
    public const string DataStack = "audiobook-staging-data";
    public const string ServiceStack = "audiobook-staging-service";
    public const string ArtifactsBucket = "audiobook-staging-artifacts-123456789012-us-east-1";

    private readonly string directory = Directory.CreateTempSubdirectory("fake-aws-").FullName;

    public FakeAwsAccount()
    {
        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        var aws = Path.Combine(bin, "aws");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Production", "FakeAws", "aws"), aws);
        File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        State = new JsonObject
        {
            ["account"] = "123456789012",
            ["outputs"] = new JsonObject
            {
                [DataStack] = new JsonObject { ["AudioBucketName"] = "audiobook-staging-audio-123456789012-us-east-1" },
                [ServiceStack] = new JsonObject
                {
                    ["ApiUrl"] = "https://abc123.execute-api.us-east-1.amazonaws.com",
                    ["CloudFrontDistributionArn"] = "arn:aws:cloudfront::123456789012:distribution/E123",
                    ["CloudFrontDomain"] = "d111.cloudfront.net",
                },
            },
        };
    }

    /// <summary>The account's state; change it before a run, read it after one.</summary>
    public JsonObject State { get; private set; }

    public string StateFile => Path.Combine(directory, "state.json");

    /// <summary>A package zip (any bytes do: the fake stores what it is sent).</summary>
    public string Package(string content, string name = "audiobook-api-0123456789ab-dirty.zip")
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, Guid.NewGuid().ToString("N"))).FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<ProcessResult> RunAsync(string script, params string[] arguments)
    {
        await File.WriteAllTextAsync(StateFile, State.ToJsonString(), TestContext.Current.CancellationToken);
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine("aws", script), .. arguments], new Dictionary<string, string>
        {
            ["PATH"] = Path.Combine(directory, "bin") + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_AWS_STATE"] = StateFile,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = "",
        }, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        State = JsonNode.Parse(await File.ReadAllTextAsync(StateFile, TestContext.Current.CancellationToken))!.AsObject();
        return result;
    }

    public string? Parameter(string name) => State["ssm"]?[name]?["Value"]?.GetValue<string>();

    public string? DeployState(string name) => Parameter($"/audiobook-deploy/{Environment}/{name}");

    public JsonObject? Stack(string name) => State["stacks"]?[name]?.AsObject();

    /// <summary>The value a stack was last deployed with, for one parameter.</summary>
    public string? StackParameter(string stack, string name) =>
        Stack(stack)?["Parameters"]?.AsArray().FirstOrDefault(p => p!["ParameterKey"]!.GetValue<string>() == name)?["ParameterValue"]?.GetValue<string>();

    public IEnumerable<string[]> Calls => State["calls"]!.AsArray().Select(c => c!.AsArray().Select(a => a!.GetValue<string>()).ToArray());

    public IEnumerable<string> Objects(string prefix) =>
        (State["s3"]?[ArtifactsBucket]?.AsObject() ?? []).Select(o => o.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public string Object(string key) => State["s3"]![ArtifactsBucket]![key]!.GetValue<string>();

    /// <summary>The next call of that command whose arguments contain <paramref name="contains"/> fails as AWS would fail it.</summary>
    public void Fail(string service, string command, string contains, string code, string message, int times = 1) =>
        (State["faults"] ??= new JsonArray()).AsArray().Add(new JsonObject
        {
            ["service"] = service,
            ["command"] = command,
            ["contains"] = contains,
            ["code"] = code,
            ["message"] = message,
            ["times"] = times,
        });

    /// <summary>The next execution of a stack's change set fails (and CloudFormation rolls it back).</summary>
    public void FailNextDeployOf(string stack) => ((State["outcomes"] ??= new JsonObject())[stack] = new JsonArray("fail")).ToString();

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
