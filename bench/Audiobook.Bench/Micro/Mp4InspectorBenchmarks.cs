using Audiobook.Api.Media;
using BenchmarkDotNet.Attributes;

namespace Audiobook.Bench.Micro;

/// <summary>Inspecting real files held in memory: the parser's own cost, without storage round trips.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class Mp4InspectorBenchmarks
{
    private byte[] bytes = [];

    [Params("faststart.m4a", "moov-at-end.m4a", "fragmented.mp4", "with-chapters.m4b", "book-both-markers.m4a", "book-many-markers.m4a")]
    public string Sample { get; set; } = "";

    [GlobalSetup]
    public void Load() => bytes = File.ReadAllBytes(Repository.File("tests", "Audiobook.Testing", "Media", "Samples", Sample));

    [Benchmark]
    public Task<Mp4Inspection> Inspect() => Mp4Inspector.InspectAsync(new MemoryByteSource(bytes), CancellationToken.None);
}
