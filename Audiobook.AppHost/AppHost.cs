using Audiobook.AppHost.Demo;
using Audiobook.AppHost.LocalAws;

var builder = DistributedApplication.CreateBuilder(args);

// Local AWS: LocalStack where a container runtime answers, otherwise moto (decided up front).
var aws = builder.AddLocalAws("aws");
var api = builder.AddProject<Projects.Audiobook_Api>("api");

// aws/data.yaml deployed to the emulator by aws/provision.sh; its outputs configure the API.
var provisioning = builder.AddDataProvisioning("provision", aws, webOrigin: api.GetEndpoint("http"));

api.WithDataStack(provisioning, aws)
    .WithHttpHealthCheck("/health")
    .WithDemoSeedCommand(builder.AppHostDirectory);

// The "production-like" profile: the API exactly as on Lambda, against the emulator.
if (ProductionLikeRun.IsOn(builder.Configuration))
{
    api.WithProductionSettings(builder.Configuration);
}

aws.WithResetDataCommand(provisioning.Resource, api);

builder.Build().Run();
