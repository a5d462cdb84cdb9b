using System.Net;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Foundation;

public sealed class HealthTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Health_is_200_when_S3_and_DynamoDB_answer()
    {
        using var client = apphost.CreateApiClient();
        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Alive_is_200_while_the_process_is_up()
    {
        using var client = apphost.CreateApiClient();
        var response = await client.GetAsync("/alive", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_AppHost_hands_the_API_the_data_stack_outputs_and_the_emulator_endpoint()
    {
        Assert.StartsWith("audiobook-local-audio-", apphost.Setting("Storage__BucketName"));
        Assert.Equal("audiobook-local-Books", apphost.Setting("Tables__Books"));
        Assert.Equal("/audiobook/local/", apphost.Setting("Secrets__ParameterPath"));
        Assert.StartsWith("http://", apphost.Setting("AWS_ENDPOINT_URL"));
    }
}
