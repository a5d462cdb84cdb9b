namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// Values only AWS creates — the id of the API, the domain of the distribution, the ids of the
/// CloudFront public keys — given for the local run, where the gateway, the edge and the emulator
/// stand in for them. A template reference to anything not listed here is an error naming it.
/// </summary>
public sealed class StandIns(IReadOnlyDictionary<string, string> refs, IReadOnlyDictionary<string, string> attributes)
{
    public string Ref(string resource) => refs.TryGetValue(resource, out var value)
        ? value
        : throw new KeyNotFoundException($"The template refers to {resource}, which the production-like profile has no stand-in for (ProductionLike/StandIns.cs).");

    public string Attribute(string resourceAndAttribute) => attributes.TryGetValue(resourceAndAttribute, out var value)
        ? value
        : throw new KeyNotFoundException($"The template refers to {resourceAndAttribute}, which the production-like profile has no stand-in for (ProductionLike/StandIns.cs).");
}
