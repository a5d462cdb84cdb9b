using Amazon.DynamoDBv2;
using Amazon.S3;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Foundation;

/// <summary>The round-trip suite against the AppHost's embedded emulator, with the names it provisioned.</summary>
public sealed class MotoStorageRoundTripTests(MotoStorageRoundTripTests.Target target)
    : StorageRoundTripTests(target), IClassFixture<MotoStorageRoundTripTests.Target>
{
    public sealed class Target(AppHostFixture apphost) : IAwsTarget, IDisposable
    {
        public string? SkipReason => null;

        public IAmazonS3 S3 { get; } = apphost.CreateS3Client();

        public IAmazonDynamoDB DynamoDb { get; } = apphost.CreateDynamoClient();

        public string BucketName { get; } = apphost.Setting("Storage__BucketName");

        public string UsersTable { get; } = apphost.Setting("Tables__Users");

        public string BooksTable { get; } = apphost.Setting("Tables__Books");

        public void Dispose()
        {
            S3.Dispose();
            DynamoDb.Dispose();
        }
    }
}
