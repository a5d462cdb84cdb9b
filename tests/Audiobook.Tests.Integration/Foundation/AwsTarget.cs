using Amazon.DynamoDBv2;
using Amazon.S3;

namespace Audiobook.Tests.Foundation;

/// <summary>An emulator with aws/data.yaml deployed: where the round-trip suite runs.</summary>
public interface IAwsTarget
{
    /// <summary>Why this target cannot run here (the test then reports skipped), or null.</summary>
    string? SkipReason { get; }

    IAmazonS3 S3 { get; }

    IAmazonDynamoDB DynamoDb { get; }

    string BucketName { get; }

    string UsersTable { get; }

    string BooksTable { get; }
}
