using System.Net;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// The function runs as a session of the template's ApiRole, and the emulator enforces the role's
/// policy (LocalAws/iam_gate.py): what the role may not do fails locally as it fails in AWS, including
/// S3's 403 for a missing object to a caller without s3:ListBucket.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class FunctionRoleTests(ProductionLikeAppHost production)
{
    private AppHostFixture Host => production.Host;

    [Fact]
    public async Task Completing_before_the_put_is_422_under_the_functions_role()
    {
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await user.CreateUploadAsync(bookId, bytes, "early.m4a");
        var uploadId = ticket["uploadId"]!.GetValue<string>();

        var problem = await ExpectProblem(await user.CompleteAsync(bookId, uploadId), (HttpStatusCode)422);

        Assert.Equal("Nothing uploaded", problem["title"]!.GetValue<string>());
        await PutAsync(ticket, bytes);
        Assert.Equal(uploadId, IdOf(await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created)));
    }

    [Fact]
    public async Task The_role_reaches_its_own_objects_tables_and_secrets_and_nothing_else()
    {
        var bucket = Host.Setting("Storage__BucketName");
        using (var root = Host.CreateS3Client())
        {
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "books/role-check/a.m4a", ContentBody = "audio" }, Token);
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "outside/a.txt", ContentBody = "other" }, Token);
        }
        var role = new SessionAWSCredentials(Host.Setting("AWS_ACCESS_KEY_ID"), Host.Setting("AWS_SECRET_ACCESS_KEY"), Host.Setting("AWS_SESSION_TOKEN"));
        var endpoint = Host.Setting("AWS_ENDPOINT_URL");
        using var s3 = new AmazonS3Client(role, new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        using var db = new AmazonDynamoDBClient(role, new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
        using var ssm = new AmazonSimpleSystemsManagementClient(role, new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });

        using (var own = await s3.GetObjectAsync(bucket, "books/role-check/a.m4a", Token))
        {
            Assert.Equal("audio", await new StreamReader(own.ResponseStream).ReadToEndAsync(Token));
        }
        await db.GetItemAsync(new GetItemRequest { TableName = Host.Setting("Tables__Books"), Key = new() { ["ownerId"] = new("x"), ["bookId"] = new("y") } }, Token);
        Assert.NotEmpty((await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = Host.Setting("Secrets__ParameterPath"), Recursive = true, WithDecryption = true }, Token)).Parameters);

        var outside = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "outside/a.txt", Token));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (outside.StatusCode, outside.ErrorCode));
        var listing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Token));
        Assert.Equal(HttpStatusCode.Forbidden, listing.StatusCode);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "books/role-check/none.m4a", Token));
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        var scan = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => db.ScanAsync(new ScanRequest { TableName = Host.Setting("Tables__Books") }, Token));
        Assert.Equal("AccessDeniedException", scan.ErrorCode);
        var deployState = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/audiobook-deploy/local/", Recursive = true }, Token));
        Assert.Equal("AccessDeniedException", deployState.ErrorCode);
    }
}
