namespace Audiobook.Api.Startup;

/// <summary>
/// AddAuthentication registers ASP.NET Core data protection, and with it a hosted service that loads
/// the key ring at every start-up: it reads (or, on a new Lambda instance, creates) an XML key file.
/// Nothing here protects data with it: bearer tokens are signed with the JWT keys from SSM, and there
/// are no cookies, antiforgery tokens or TempData. So the cold start skips that work (docs/cold-start.md);
/// data protection stays registered, and anything that used it would load the key ring
/// on first use.
/// </summary>
public static class DataProtectionPreload
{
    // The hosted service is internal to Microsoft.AspNetCore.DataProtection: its name is all there is
    // to find it by. StartupWorkTests fails if a hosted service of that assembly remains.
    private const string HostedServiceName = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static IServiceCollection WithoutDataProtectionPreload(this IServiceCollection services)
    {
        var preload = services.Where(service => service.ServiceType == typeof(IHostedService)
            && service.ImplementationType?.FullName == HostedServiceName).ToList();
        foreach (var service in preload)
        {
            services.Remove(service);
        }
        return services;
    }
}
