namespace Audiobook.Api;

/// <summary>Names this assembly for in-process hosts (WebApplicationFactory) without touching Program.</summary>
public sealed class ApiAssembly;
