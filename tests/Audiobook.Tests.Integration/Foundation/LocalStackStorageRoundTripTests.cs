using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Audiobook.AppHost.LocalAws;
using Audiobook.Tests.Infrastructure;
using Testcontainers.LocalStack;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The same round-trip suite against LocalStack (Testcontainers), provisioned by the same script
/// from the same template. Reports skipped, with the reason, where no container runtime answers.
/// </summary>
public sealed class LocalStackStorageRoundTripTests(LocalStackStorageRoundTripTests.Target target)
    : StorageRoundTripTests(target), IClassFixture<LocalStackStorageRoundTripTests.Target>
{
    public sealed class Target : IAwsTarget, IAsyncLifetime
    {
        private LocalStackContainer? container;
        private IAmazonS3? s3;
        private IAmazonDynamoDB? dynamo;
        private Dictionary<string, string> outputs = [];

        public string? SkipReason { get; private set; }

        public IAmazonS3 S3 => s3 ?? throw new InvalidOperationException(SkipReason);

        public IAmazonDynamoDB DynamoDb => dynamo ?? throw new InvalidOperationException(SkipReason);

        public string BucketName => outputs["AudioBucketName"];

        public string UsersTable => outputs["UsersTableName"];

        public string BooksTable => outputs["BooksTableName"];

        public async ValueTask InitializeAsync()
        {
            if (!EmulatorChoice.ContainerRuntimeAnswers())
            {
                SkipReason = "No container runtime answers ('docker info' failed), so LocalStack cannot run here; the moto suite covers the same tests.";
                return;
            }

            container = new LocalStackBuilder($"{LocalAwsExtensions.LocalStackImage}:{LocalAwsExtensions.LocalStackTag}").Build();
            await container.StartAsync();
            var endpoint = container.GetConnectionString();

            var outputsFile = Path.Combine(Path.GetTempPath(), $"audiobook-localstack-{Guid.NewGuid():N}.json");
            var provision = await ProcessRunner.RunAsync(
                "bash",
                ["aws/provision.sh", "--environment", "local", "--emulator", "--outputs-file", outputsFile],
                new Dictionary<string, string>
                {
                    ["AWS_ENDPOINT_URL"] = endpoint,
                    ["AWS_REGION"] = LocalAwsExtensions.Region,
                    ["AWS_DEFAULT_REGION"] = LocalAwsExtensions.Region,
                    ["AWS_ACCESS_KEY_ID"] = "test",
                    ["AWS_SECRET_ACCESS_KEY"] = "test",
                },
                TimeSpan.FromMinutes(3));
            Assert.True(provision.ExitCode == 0, provision.Output);

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(outputsFile));
            outputs = json.RootElement.EnumerateArray().ToDictionary(
                o => o.GetProperty("OutputKey").GetString()!,
                o => o.GetProperty("OutputValue").GetString()!);
            File.Delete(outputsFile);

            s3 = AwsClients.S3(endpoint);
            dynamo = AwsClients.DynamoDb(endpoint);
        }

        public async ValueTask DisposeAsync()
        {
            s3?.Dispose();
            dynamo?.Dispose();
            if (container is not null)
            {
                await container.DisposeAsync();
            }
        }
    }
}
