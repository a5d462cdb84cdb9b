using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;

namespace Audiobook.Tests.Infrastructure;

/// <summary>SDK clients pointed at a local emulator, the way the AppHost configures the API.</summary>
public static class AwsClients
{
    private static readonly BasicAWSCredentials Dummy = new("test", "test");

    public static IAmazonS3 S3(string endpoint) => new AmazonS3Client(Dummy, new AmazonS3Config
    {
        ServiceURL = endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public static IAmazonSimpleSystemsManagement Ssm(string endpoint) => new AmazonSimpleSystemsManagementClient(Dummy, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = endpoint,
        AuthenticationRegion = "us-east-1",
    });

    public static IAmazonDynamoDB DynamoDb(string endpoint) => new AmazonDynamoDBClient(Dummy, new AmazonDynamoDBConfig
    {
        ServiceURL = endpoint,
        AuthenticationRegion = "us-east-1",
    });
}
