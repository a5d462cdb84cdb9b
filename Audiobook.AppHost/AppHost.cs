using Audiobook.AppHost.Demo;
using Audiobook.AppHost.LocalAws;
using Audiobook.AppHost.ProductionLike;

var builder = DistributedApplication.CreateBuilder(args);

// AWS for this run: the local emulator (LocalStack where a container runtime answers, otherwise
// moto, decided before any resource is added), or a real AWS environment (the "aws" profile).
var aws = AwsTarget.Create(builder);

if (ProductionLikeRun.IsOn(builder.Configuration))
{
    // The "production-like" profile: aws/service.yaml's function — the Lambda package, its environment,
    // its role — behind local stand-ins for its API Gateway and its CloudFront distribution.
    builder.AddProductionLike(aws);
}
else
{
    var api = builder.AddProject<Projects.Audiobook_Api>("api");

    // aws/data.yaml deployed by aws/provision.sh; the stack's outputs configure the API.
    var provisioning = builder.AddDataProvisioning("provision", aws, webOrigin: api.GetEndpoint("http"));

    api.WithDataStack(provisioning, aws)
        .WithHttpHealthCheck("/health")
        .WithDemoSeedCommand(builder.AppHostDirectory);

    // What AWS does on its own (lifecycle rules, TTL), done for the emulator.
    builder.AddLifecycleSweep("lifecycle", aws, provisioning);

    // Emulator data lives in memory: a dashboard command drops and re-provisions it.
    aws.Emulator?.WithResetDataCommand([provisioning.Resource.Resource], [api.Resource]);
}

builder.Build().Run();
