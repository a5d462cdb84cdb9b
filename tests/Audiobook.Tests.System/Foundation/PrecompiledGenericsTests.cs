using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// Native AOT compiles a generic type that dependency injection closes at run time (OptionsFactory,
/// ILogger, … over a type only named in a registration) only if it is listed in the API's
/// PrecompiledGenerics.rd.xml; an unlisted one is built by the runtime's type loader, ≈0.4 ms each,
/// on the cold start (bench/). The real API on Kestrel serves a whole session while the dependency
/// injection event source reports every service it composes: each generic implementation it closes
/// must be listed (one listed and no longer closed costs only executable size).
/// </summary>
public sealed partial class PrecompiledGenericsTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_generic_type_a_session_closes_at_run_time_is_compiled_ahead_of_time()
    {
        using var composed = new ComposedServices();
        await using var api = InProcessApi.Create(apphost, "Production", new Dictionary<string, string> { ["AllowedHosts"] = "localhost;127.0.0.1" });
        api.UseKestrel(0);
        api.StartServer();
        await SessionAsync(api);

        var expected = PrecompiledGenerics.Render(composed.GenericImplementations(api.Services.GetHashCode()));
        System.Xml.Linq.XDocument.Parse(expected); // the compiler refuses what is not XML (a "--" in the comment, say)
        var path = Repository.PathOf("Audiobook.Api", "Startup", PrecompiledGenerics.FileName);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, expected, Token);
        }
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";

        // A type listed and no longer closed costs a little executable size, nothing at run time: only a missing one fails.
        var missing = PrecompiledGenerics.Listed(expected).Except(PrecompiledGenerics.Listed(actual)).ToList();
        Assert.True(missing.Count == 0,
            $"Audiobook.Api/Startup/{PrecompiledGenerics.FileName} does not list {missing.Count} generic type(s) the API closes at run time, "
            + $"which Native AOT would then build on the cold start: {string.Join("; ", missing)}. "
            + $"Regenerate the file with: {RegenerateVariable}=1 dotnet test tests/Audiobook.Tests.System --filter PrecompiledGenerics");
    }

    /// <summary>Set to 1, the test writes the list anew (then checks it).</summary>
    private const string RegenerateVariable = "AUDIOBOOK_REGENERATE_RD_XML";

    /// <summary>Start-up, the first /health, and a listener's first minutes: sign-up, a book, a chapter, play, progress.</summary>
    private static async Task SessionAsync(WebApplicationFactory<Audiobook.Api.ApiAssembly> api)
    {
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/books", Token)).StatusCode);

        using var user = await ApiUser.CreateAsync(api.CreateClient());
        var book = ApiUser.IdOf(await user.CreateBookAsync());
        var chapter = ApiUser.IdOf(await user.AddChapterAsync(book));
        await ApiUser.Expect(await user.Http.GetAsync($"/api/v1/books/{book}/chapters/{chapter}/stream", Token), HttpStatusCode.OK);
        await ApiUser.Expect(await user.Http.PutAsJsonAsync($"/api/v1/books/{book}/progress",
            new { chapterId = chapter, positionSeconds = 12.5, clientUpdatedAt = DateTimeOffset.UtcNow }, Token), HttpStatusCode.OK);
        await ApiUser.Expect(await user.Http.GetAsync("/api/v1/books", Token), HttpStatusCode.OK);
        await ApiUser.Expect(await user.Http.GetAsync("/api/v1/me/progress", Token), HttpStatusCode.OK);
        await ApiUser.ExpectProblem(await user.Http.GetAsync("/api/v1/books/unknown", Token), HttpStatusCode.NotFound);
    }

    /// <summary>The runtime directives that have Native AOT compile the generic types, grouped by the assembly of their definition.</summary>
    private static partial class PrecompiledGenerics
    {
        public const string FileName = "PrecompiledGenerics.rd.xml";

        public static string Render(IEnumerable<string> types)
        {
            var text = new StringBuilder("""
                <!--
                  Generic types that dependency injection closes at run time: OptionsFactory<T>, Logger<T>, ... over
                  types that only a registration names. Native AOT compiles the ones listed here ahead of time; the
                  runtime's type loader would build each other one on first use, ≈0.4 ms apiece, most of them
                  during the cold start (README, "Start-up").
                  Generated by PrecompiledGenericsTests, which runs a session of the API and fails when it closes a
                  generic type this list lacks. To regenerate it, run that test with AUDIOBOOK_REGENERATE_RD_XML=1 (README, "Start-up").
                -->
                <Directives xmlns="http://schemas.microsoft.com/netfx/2013/01/metadata">
                  <Application>

                """);
            foreach (var assembly in types.GroupBy(AssemblyOf).OrderBy(group => group.Key, StringComparer.Ordinal))
            {
                text.Append($"    <Assembly Name=\"{assembly.Key}\">\n");
                foreach (var type in assembly.Order(StringComparer.Ordinal))
                {
                    text.Append($"      <Type Name=\"{Qualified(type)}\" Dynamic=\"Required All\" />\n");
                }
                text.Append("    </Assembly>\n");
            }
            return text.Append("  </Application>\n</Directives>\n").ToString();
        }

        [GeneratedRegex("<Assembly Name=\"([^\"]+)\"")]
        private static partial Regex AssemblyLine();

        [GeneratedRegex("<Type Name=\"([^\"]+)\"")]
        private static partial Regex TypeLine();

        /// <summary>The (assembly, type) pairs a rendered list names.</summary>
        public static IEnumerable<string> Listed(string directives)
        {
            var assembly = "";
            foreach (var line in directives.Split('\n'))
            {
                if (AssemblyLine().Match(line) is { Success: true } a)
                {
                    assembly = a.Groups[1].Value;
                }
                else if (TypeLine().Match(line) is { Success: true } t)
                {
                    yield return $"{assembly}: {t.Groups[1].Value}";
                }
            }
        }

        /// <summary>Def`1[Arg] (as <see cref="Type.ToString"/> writes it) → Def`1[[Arg,ArgAssembly]].</summary>
        private static string Qualified(string type)
        {
            var open = type.IndexOf('[', StringComparison.Ordinal);
            if (open < 0)
            {
                return type;
            }
            var arguments = TopLevelArguments(type[(open + 1)..^1]).Select(argument => $"[{Qualified(argument)},{AssemblyOf(argument)}]");
            return $"{type[..open]}[{string.Join(',', arguments)}]";
        }

        private static IEnumerable<string> TopLevelArguments(string list)
        {
            var (depth, start) = (0, 0);
            for (var i = 0; i < list.Length; i++)
            {
                depth += list[i] switch { '[' => 1, ']' => -1, _ => 0 };
                if (list[i] == ',' && depth == 0)
                {
                    yield return list[start..i];
                    start = i + 1;
                }
            }
            yield return list[start..];
        }

        private static string AssemblyOf(string type)
        {
            var definition = type.Split('[')[0];
            return AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(definition)).FirstOrDefault(found => found is not null)?.Assembly.GetName().Name
                ?? throw new InvalidOperationException($"No loaded assembly defines {definition}");
        }
    }

    /// <summary>
    /// Listens to the dependency injection event source: each call site it builds (a service and
    /// everything its construction needs), per service provider.
    /// </summary>
    private sealed partial class ComposedServices : EventListener
    {
        private readonly ConcurrentQueue<(int Provider, string CallSite)> callSites = new();
        private readonly ConcurrentDictionary<(int, string), string> chunks = new();

        public HashSet<string> GenericImplementations(int provider) =>
            callSites.Where(site => site.Provider == provider)
                .SelectMany(site => ImplementationType().Matches(site.CallSite).Select(match => match.Groups["type"].Value))
                .Where(type => type.Contains('`', StringComparison.Ordinal))
                .ToHashSet();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Extensions-DependencyInjection")
            {
                EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != "CallSiteBuilt" || e.Payload is not { } payload)
            {
                return;
            }
            var field = e.PayloadNames!.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => payload[p.i]);
            var provider = (int)field["serviceProviderHashCode"]!;
            var key = (provider, (string)field["serviceType"]!);
            var text = chunks.GetValueOrDefault(key, "") + (string)field["callSite"]!;
            if ((int)field["chunkIndex"]! + 1 < (int)field["chunkCount"]!)
            {
                chunks[key] = text;
                return;
            }
            chunks.TryRemove(key, out _);
            callSites.Enqueue((provider, text));
        }

        [GeneratedRegex("\"implementationType\": \"(?<type>[^\"]+)\"")]
        private static partial Regex ImplementationType();
    }
}
