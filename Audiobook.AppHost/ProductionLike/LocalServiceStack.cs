using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Audiobook.AppHost.LocalAws;

namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// The service stack of aws/service.yaml, stood up against the emulator: what the template gives the
/// function (its environment, its role), the API's gateway stage (throttling) and the distribution
/// (key group, cache and response-headers policies), each resolved from the template itself with the
/// parameters aws/deploy.sh would pass and the data stack's exports. The "service" resource makes
/// the roles real in the emulator's IAM (service_stack.py); the rest is read when each resource starts.
/// </summary>
public sealed class LocalServiceStack
{
    /// <summary>The stand-in distribution's host: browsers and curl resolve *.localhost to this machine.</summary>
    public const string CloudFrontHost = "media.audiobook.localhost";

    /// <summary>The stand-in HTTP API's id; the API sees requests for {id}.execute-api.{region}.amazonaws.com.</summary>
    public const string ApiId = "localapi";

    private readonly CloudFormationTemplate service;
    private readonly CloudFormationTemplate data;
    private readonly AwsTarget target;
    private readonly DataProvisioning.Provisioning provisioning;
    private readonly string stackFile;
    private readonly Func<int> cdnPort;

    private LocalServiceStack(string repository, AwsTarget target, DataProvisioning.Provisioning provisioning, Func<int> cdnPort)
    {
        service = CloudFormationTemplate.Load(Path.Combine(repository, "aws", "service.yaml"));
        data = CloudFormationTemplate.Load(Path.Combine(repository, "aws", "data.yaml"));
        this.target = target;
        this.provisioning = provisioning;
        this.cdnPort = cdnPort;
        stackFile = Path.Combine(Path.GetDirectoryName(provisioning.OutputsFile)!, "service-stack.json");
    }

    public IResourceBuilder<ExecutableResource> Resource { get; private set; } = null!;

    public string ApiHost => $"{ApiId}.execute-api.{target.Region}.amazonaws.com";

    /// <summary>The "service" resource: the stack's parameters from deployment state, and the roles, in the emulator.</summary>
    public static LocalServiceStack Add(
        IDistributedApplicationBuilder builder, string name, AwsTarget target, DataProvisioning.Provisioning provisioning,
        Func<int> cdnPort, IReadOnlyList<string> webOrigins)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var stack = new LocalServiceStack(repository, target, provisioning, cdnPort);
        var policies = Path.GetDirectoryName(provisioning.OutputsFile)!;
        stack.Resource = builder.AddExecutable(name, EmulatorChoice.MotoPython!, builder.AppHostDirectory)
            .WithArgs(async context =>
            {
                // Evaluated when the step starts, after provisioning: the data stack's exports exist.
                var exports = await stack.ExportsAsync(context.CancellationToken);
                var api = Path.Combine(policies, "api-role-policy.json");
                var cdn = Path.Combine(policies, "cdn-role-policy.json");
                await File.WriteAllTextAsync(api, stack.FunctionRolePolicy(exports), context.CancellationToken);
                await File.WriteAllTextAsync(cdn, stack.DistributionReadPolicy(exports), context.CancellationToken);
                context.Args.Add(Path.Combine("ProductionLike", "service_stack.py"));
                context.Args.Add("--environment");
                context.Args.Add(target.EnvironmentName);
                foreach (var origin in webOrigins)
                {
                    context.Args.Add("--web-origin");
                    context.Args.Add(origin);
                }
                context.Args.Add("--role");
                context.Args.Add("api=" + api);
                context.Args.Add("--role");
                context.Args.Add("cdn=" + cdn);
                context.Args.Add("--out");
                context.Args.Add(stack.stackFile);
            })
            .WaitForCompletion(provisioning.Resource);
        target.Configure(stack.Resource);
        return stack;
    }

    /// <summary>
    /// ApiFunction's Environment.Variables, resolved: exactly what Lambda would give the process. The
    /// caller adds only what differs by construction on one machine (ports, endpoint, credentials).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> FunctionEnvironmentAsync(CancellationToken ct) =>
        service.ResolveStrings(await ContextAsync(ct), "ApiFunction", "Properties", "Environment", "Variables");

    /// <summary>The role session the function runs with, or the distribution reads the bucket with.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CredentialsAsync(string role, CancellationToken ct)
    {
        var credentials = (await StackAsync(ct))["credentials"]![role]!;
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials["AccessKeyId"]!.GetValue<string>(),
            ["AWS_SECRET_ACCESS_KEY"] = credentials["SecretAccessKey"]!.GetValue<string>(),
            ["AWS_SESSION_TOKEN"] = credentials["SessionToken"]!.GetValue<string>(),
        };
    }

    /// <summary>What the gateway stands in for: the stage's throttling, the integration's timeout, the API's domain.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GatewaySettingsAsync(CancellationToken ct)
    {
        var context = await ContextAsync(ct);
        var stage = service.ResolveStrings(context, "HttpApiStage", "Properties", "DefaultRouteSettings");
        return new Dictionary<string, string>
        {
            ["Gateway__ApiHost"] = ApiHost,
            ["Gateway__ThrottlingRateLimit"] = stage["ThrottlingRateLimit"],
            ["Gateway__ThrottlingBurstLimit"] = stage["ThrottlingBurstLimit"],
            ["Gateway__IntegrationTimeout"] = TimeSpan.FromMilliseconds(double.Parse(
                (string)service.Resolve(context, "HttpApiIntegration", "Properties", "TimeoutInMillis")!, CultureInfo.InvariantCulture)).ToString("c", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>What the edge stands in for: the key group, the cache policy's forwarded query strings, the response headers policy, the origin.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EdgeSettingsAsync(CancellationToken ct)
    {
        var context = await ContextAsync(ct);
        var settings = new Dictionary<string, string>();
        var trusted = Strings(service.Resolve(context, "SigningKeyGroup", "Properties", "KeyGroupConfig", "Items"));
        var index = 0;
        foreach (var slot in new[] { "PublicKeySlotA", "PublicKeySlotB" }.Where(key => service.IsCreated(context, key)))
        {
            var id = context.StandIns.Ref(slot);
            if (trusted.Contains(id))
            {
                settings[$"CloudFront__KeyGroup__{index}__Id"] = id;
                settings[$"CloudFront__KeyGroup__{index++}__PublicKey"] = (string)service.Resolve(context, slot, "Properties", "PublicKeyConfig", "EncodedKey")!;
            }
        }

        var queryStrings = (IReadOnlyDictionary<string, object?>)service.Resolve(context,
            "AudioCachePolicy", "Properties", "CachePolicyConfig", "ParametersInCacheKeyAndForwardedToOrigin", "QueryStringsConfig")!;
        Indexed(settings, "CloudFront__ForwardedQueryStrings", (string)queryStrings["QueryStringBehavior"]! == "whitelist" ? Strings(queryStrings["QueryStrings"]) : []);

        var origin = (IReadOnlyDictionary<string, object?>)Strings<object?>(service.Resolve(context, "AudioDistribution", "Properties", "DistributionConfig", "Origins"))[0]!;
        var regionalDomain = (string)origin["DomainName"]!;
        settings["CloudFront__OriginBucket"] = regionalDomain[..regionalDomain.IndexOf(".s3.", StringComparison.Ordinal)];

        if (service.IsCreated(context, "AudioResponseHeadersPolicy"))
        {
            var policy = (IReadOnlyDictionary<string, object?>)service.Resolve(context, "AudioResponseHeadersPolicy", "Properties", "ResponseHeadersPolicyConfig")!;
            if (policy.TryGetValue("CorsConfig", out var cors) && cors is IReadOnlyDictionary<string, object?> c)
            {
                Indexed(settings, "CloudFront__Cors__AllowedOrigins", Items(c["AccessControlAllowOrigins"]));
                Indexed(settings, "CloudFront__Cors__AllowedMethods", Items(c["AccessControlAllowMethods"]));
                Indexed(settings, "CloudFront__Cors__AllowedHeaders", Items(c["AccessControlAllowHeaders"]));
                Indexed(settings, "CloudFront__Cors__ExposedHeaders", c.TryGetValue("AccessControlExposeHeaders", out var exposed) ? Items(exposed) : []);
                settings["CloudFront__Cors__MaxAgeSeconds"] = (string)c["AccessControlMaxAgeSec"]!;
                settings["CloudFront__Cors__AllowCredentials"] = (string)c["AccessControlAllowCredentials"]!;
            }
            if (policy.TryGetValue("SecurityHeadersConfig", out var security) && security is IReadOnlyDictionary<string, object?> s)
            {
                if (s.TryGetValue("StrictTransportSecurity", out var hsts) && hsts is IReadOnlyDictionary<string, object?> h)
                {
                    settings["CloudFront__StrictTransportSecurity"] = $"max-age={h["AccessControlMaxAgeSec"]}"
                        + ((string?)h.GetValueOrDefault("IncludeSubdomains") == "true" ? "; includeSubDomains" : "");
                }
                settings["CloudFront__ContentTypeOptions"] = s.ContainsKey("ContentTypeOptions") ? "true" : "false";
            }
        }
        return settings;
    }

    /// <summary>ApiRole's policy, resolved: the function's only permissions.</summary>
    private string FunctionRolePolicy(IReadOnlyDictionary<string, string> exports)
    {
        var policies = Strings<object?>(service.Resolve(PolicyContext(exports), "ApiRole", "Properties", "Policies"));
        return JsonSerializer.Serialize(((IReadOnlyDictionary<string, object?>)policies.Single()!)["PolicyDocument"]);
    }

    /// <summary>
    /// What the bucket policy (aws/data.yaml) lets the distribution do — its Origin Access Control reads —
    /// as the policy of the role the edge reads with: the statements whose principal is CloudFront,
    /// without the principal and the source-ARN condition, which name the distribution the edge stands in for.
    /// </summary>
    private string DistributionReadPolicy(IReadOnlyDictionary<string, string> exports)
    {
        var bucketArn = exports[$"audiobook-{target.EnvironmentName}-AudioBucketArn"];
        var context = new TemplateContext(
            new Dictionary<string, string> { ["EnvironmentName"] = target.EnvironmentName, ["CloudFrontDistributionArn"] = DistributionArn },
            exports,
            new StandIns(
                new Dictionary<string, string> { ["AudioBucket"] = bucketArn["arn:aws:s3:::".Length..] },
                new Dictionary<string, string> { ["AudioBucket.Arn"] = bucketArn }),
            target.Region);
        var document = (IReadOnlyDictionary<string, object?>)data.Resolve(context, "AudioBucketPolicy", "Properties", "PolicyDocument")!;
        var statements = Strings<object?>(document["Statement"])
            .Cast<IReadOnlyDictionary<string, object?>>()
            .Where(s => (string?)s["Effect"] == "Allow" && JsonSerializer.Serialize(s["Principal"]).Contains("cloudfront.amazonaws.com", StringComparison.Ordinal))
            .Select(s => s.Where(e => e.Key is not ("Principal" or "Condition")).ToDictionary())
            .ToList();
        return JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = statements });
    }

    private string DistributionArn => $"arn:aws:cloudfront::123456789012:distribution/{Refs["AudioDistribution"]}";

    private TemplateContext PolicyContext(IReadOnlyDictionary<string, string> exports) =>
        new(new Dictionary<string, string> { ["EnvironmentName"] = target.EnvironmentName }, exports, StandInsFor(cdnPort: 0), target.Region);

    private async Task<TemplateContext> ContextAsync(CancellationToken ct)
    {
        var parameters = (await StackAsync(ct))["parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        return new TemplateContext(parameters, await ExportsAsync(ct), StandInsFor(cdnPort()), target.Region);
    }

    private Dictionary<string, string> Refs => new()
    {
        ["HttpApi"] = ApiId,
        ["AudioDistribution"] = "ELOCALAUDIOBOOK1",
        ["PublicKeySlotA"] = "KLOCALAUDIOBOOKA",
        ["PublicKeySlotB"] = "KLOCALAUDIOBOOKB",
        ["ApiFunction"] = $"audiobook-{target.EnvironmentName}-api",
    };

    private StandIns StandInsFor(int cdnPort) => new(Refs, new Dictionary<string, string>
    {
        ["HttpApi.ApiEndpoint"] = $"https://{ApiHost}",
        ["AudioDistribution.DomainName"] = $"{CloudFrontHost}:{cdnPort}",
        ["AudioOriginAccessControl.Id"] = "ELOCALOAC0001",
        ["ApiLogGroup.Arn"] = $"arn:aws:logs:{target.Region}:123456789012:log-group:/aws/lambda/audiobook-{target.EnvironmentName}-api",
    });

    private async Task<IReadOnlyDictionary<string, string>> ExportsAsync(CancellationToken ct)
    {
        await using var stream = File.OpenRead(provisioning.OutputsFile);
        var outputs = await JsonSerializer.DeserializeAsync<JsonArray>(stream, cancellationToken: ct) ?? [];
        return outputs.Where(o => o!["ExportName"] is not null)
            .ToDictionary(o => o!["ExportName"]!.GetValue<string>(), o => o!["OutputValue"]!.GetValue<string>());
    }

    private async Task<JsonNode> StackAsync(CancellationToken ct)
    {
        await using var stream = File.OpenRead(stackFile);
        return await JsonNode.ParseAsync(stream, cancellationToken: ct) ?? throw new InvalidDataException(stackFile + " is empty.");
    }

    private static List<T> Strings<T>(object? value) => value is IEnumerable<object?> items && value is not string
        ? [.. items.Cast<T>()]
        : throw new InvalidOperationException($"Expected a list, found '{value}'.");

    private static List<string> Strings(object? value) => Strings<object?>(value).Select(v => (string)v!).ToList();

    private static List<string> Items(object? value) =>
        value is IReadOnlyDictionary<string, object?> wrapper ? Strings(wrapper["Items"]) : Strings(value);

    private static void Indexed(Dictionary<string, string> settings, string prefix, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            settings[$"{prefix}__{i}"] = values[i];
        }
    }
}
