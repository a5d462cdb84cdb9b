using Audiobook.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Audiobook.Tests.Templates;

/// <summary>The security and durability properties the templates promise (issue: production on AWS).</summary>
public sealed class TemplateSecurityTests
{
    private static readonly Template Data = Template.Load("data.yaml");
    private static readonly Template Service = Template.Load("service.yaml");

    [Fact]
    public void The_audio_bucket_is_private_encrypted_versioned_and_retained()
    {
        var bucket = Data.Resource("AudioBucket");
        var p = Data.Properties("AudioBucket");
        Assert.Equal("Retain", Template.At(bucket, "DeletionPolicy"));
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
        {
            Assert.Equal("true", Template.At(p, "PublicAccessBlockConfiguration", setting));
        }
        Assert.Equal("Enabled", Template.At(p, "VersioningConfiguration", "Status"));
        Assert.Contains("BucketOwnerEnforced", Template.Scalars(p["OwnershipControls"]));
        Assert.Contains("AES256", Template.Scalars(p["BucketEncryption"]));
        var lifecycle = Template.Scalars(p["LifecycleConfiguration"]).ToList();
        Assert.Contains("AbortIncompleteMultipartUpload", lifecycle);
        Assert.Contains("NoncurrentVersionExpiration", lifecycle);
        Assert.Contains("PUT", Template.Scalars(p["CorsConfiguration"]));
    }

    [Fact]
    public void The_bucket_policy_denies_plain_http_and_lets_only_this_distribution_read()
    {
        var statements = Template.Scalars(Data.Properties("AudioBucketPolicy")).ToList();
        Assert.Contains("aws:SecureTransport", statements);
        Assert.Contains("cloudfront.amazonaws.com", statements);
        Assert.Contains("AWS:SourceArn", statements);
        Assert.DoesNotContain(statements, s => s == "s3:PutObject" || s == "s3:DeleteObject");
    }

    [Fact]
    public void Every_table_is_on_demand_with_point_in_time_recovery_and_deletion_protection()
    {
        var tables = Data.Resources("AWS::DynamoDB::Table").ToList();
        Assert.Equal(4, tables.Count);
        foreach (var (name, p) in tables)
        {
            Assert.Equal("Retain", Template.At(Data.Resource(name), "DeletionPolicy"));
            Assert.Equal("PAY_PER_REQUEST", Template.At(p, "BillingMode"));
            Assert.Equal("true", Template.At(p, "DeletionProtectionEnabled"));
            Assert.Equal("true", Template.At(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"));
        }
    }

    [Fact]
    public void Audio_is_served_only_over_https_with_signed_urls_through_origin_access_control()
    {
        var distribution = (YamlMappingNode)Service.Properties("AudioDistribution")["DistributionConfig"];
        var behavior = distribution["DefaultCacheBehavior"];
        Assert.Equal("https-only", Template.At(behavior, "ViewerProtocolPolicy"));
        Assert.Equal("SigningKeyGroup", Template.Scalars(((YamlMappingNode)behavior)["TrustedKeyGroups"]).Single());
        Assert.Contains("AudioOriginAccessControl.Id", Template.Scalars(distribution["Origins"]));
        Assert.Equal("always", Template.At(Service.Properties("AudioOriginAccessControl"), "OriginAccessControlConfig", "SigningBehavior"));

        // Two key slots, so keys rotate without invalidating URLs already handed out.
        var keys = Template.Scalars(Service.Properties("SigningKeyGroup")).ToList();
        Assert.Contains("PublicKeySlotA", keys);
        Assert.Contains("PublicKeySlotB", keys);

        // The signing parameters are not part of the cache key.
        var cacheKey = Template.Scalars(Service.Properties("AudioCachePolicy")).ToList();
        Assert.Contains("whitelist", cacheKey);
        Assert.DoesNotContain(cacheKey, s => s is "Expires" or "Signature" or "Key-Pair-Id" or "Policy");
    }

    [Fact]
    public void The_api_role_grants_only_this_bucket_these_tables_and_this_parameter_path()
    {
        var statements = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)Service.Properties("ApiRole")["Policies"])[0])["PolicyDocument"])["Statement"];
        foreach (YamlMappingNode statement in statements)
        {
            var actions = Template.Scalars(statement["Action"]).ToList();
            Assert.DoesNotContain(actions, a => a.EndsWith(":*", StringComparison.Ordinal) || a == "*");
            var resources = Template.Scalars(statement["Resource"]).ToList();
            if (Template.At(statement, "Sid") != "Traces")
            {
                Assert.DoesNotContain("*", resources);
            }
        }
        var all = Template.Scalars(statements).ToList();
        Assert.Contains(all, s => s.Contains("parameter/audiobook/${EnvironmentName}/*", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Contains("table/audiobook-${EnvironmentName}-Books", StringComparison.Ordinal));
        Assert.Contains(all, s => s.EndsWith("/books/*", StringComparison.Ordinal));
        Assert.Contains("kms:ViaService", all);
    }

    [Fact]
    public void The_api_is_the_unchanged_app_on_the_web_adapter_with_throttling_and_access_logs()
    {
        var function = Service.Properties("ApiFunction");
        Assert.Equal("dotnet10", Template.At(function, "Runtime"));
        var environment = (YamlMappingNode)function["Environment"]["Variables"];
        Assert.Equal("/opt/bootstrap", Template.At(environment, "AWS_LAMBDA_EXEC_WRAPPER"));
        Assert.Equal("Production", Template.At(environment, "ASPNETCORE_ENVIRONMENT"));
        Assert.Contains(Template.Scalars(function["Layers"]), l => l.Contains("LambdaAdapterLayerX86", StringComparison.Ordinal));
        var stage = Service.Properties("HttpApiStage");
        Assert.NotNull(Template.At(stage, "DefaultRouteSettings", "ThrottlingRateLimit"));
        Assert.NotNull(Template.At(stage, "AccessLogSettings", "DestinationArn"));
    }

    [Fact]
    public void Logs_are_retained_for_a_bounded_time_and_every_alarm_notifies_the_topic()
    {
        var logGroups = Service.Resources("AWS::Logs::LogGroup").ToList();
        Assert.Contains("ApiLogGroup", logGroups.Select(g => g.Name)); // the loop below checks something
        foreach (var (_, p) in logGroups)
        {
            Assert.Equal("LogRetentionDays", Template.At(p, "RetentionInDays"));
        }
        var alarms = Service.Resources("AWS::CloudWatch::Alarm").ToDictionary(a => a.Name, a => a.Properties);
        Assert.Contains("Api5xxAlarm", alarms.Keys);
        Assert.Contains("LambdaErrorsAlarm", alarms.Keys);
        Assert.Contains("LambdaThrottlesAlarm", alarms.Keys);
        Assert.Contains("CloudFront5xxAlarm", alarms.Keys);
        Assert.Contains("CloudFront4xxAlarm", alarms.Keys);
        Assert.Contains("CloudFront403Alarm", alarms.Keys);
        Assert.All(alarms.Values, p => Assert.Contains("AlarmTopic", Template.Scalars(p["AlarmActions"])));
        Assert.Single(Service.Resources("AWS::CloudWatch::Dashboard"));
    }

    [Fact]
    public void Alarm_topics_are_under_a_key_cloudwatch_may_use_so_alarms_reach_someone()
    {
        var topics = Service.Resources("AWS::SNS::Topic").ToList();
        Assert.NotEmpty(topics);
        foreach (var (name, p) in topics)
        {
            // AWS-managed keys (alias/aws/sns) cannot grant cloudwatch.amazonaws.com: alarms would never publish.
            var key = Template.At(p, "KmsMasterKeyId");
            Assert.False(key is null || key.StartsWith("alias/aws/", StringComparison.Ordinal), $"{name} is under {key ?? "no key"}");
            var keyResource = Service.Resource(key!);
            Assert.Equal("AWS::KMS::Key", Template.At(keyResource, "Type"));
            var statements = ((YamlSequenceNode)Service.Properties(key!)["KeyPolicy"]["Statement"]).Cast<YamlMappingNode>();
            Assert.Contains(statements, statement =>
                Template.Scalars(statement["Principal"]).Contains("cloudwatch.amazonaws.com")
                && Template.Scalars(statement["Action"]).Contains("kms:Decrypt")
                && Template.Scalars(statement["Action"]).Contains("kms:GenerateDataKey*"));
        }
    }

    [Fact]
    public void A_custom_domain_is_served_with_tls_1_2_or_newer_only()
    {
        var certificates = Mappings(Service.Properties("AudioDistribution")).Where(m => m.Children.ContainsKey("AcmCertificateArn")).ToList();

        Assert.NotEmpty(certificates);
        Assert.All(certificates, certificate =>
        {
            Assert.Equal("TLSv1.2_2021", Template.At(certificate, "MinimumProtocolVersion"));
            Assert.Equal("sni-only", Template.At(certificate, "SslSupportMethod"));
        });
    }

    private static IEnumerable<YamlMappingNode> Mappings(YamlNode node) => node switch
    {
        YamlMappingNode m => [m, .. m.Children.Values.SelectMany(Mappings)],
        YamlSequenceNode q => q.Children.SelectMany(Mappings),
        _ => [],
    };

    [Fact]
    public void The_stacks_output_what_operators_need()
    {
        foreach (var output in new[] { "ApiUrl", "CloudFrontDomain", "ActiveKeyPairId" })
        {
            Assert.True(Service.HasOutput(output), output);
        }
        foreach (var output in new[] { "AudioBucketName", "UsersTableName", "BooksTableName", "AudioChaptersTableName", "ProgressTableName" })
        {
            Assert.True(Data.HasOutput(output), output);
        }
    }
}
