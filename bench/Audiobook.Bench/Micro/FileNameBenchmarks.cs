using Audiobook.Api.Uploads;
using BenchmarkDotNet.Attributes;

namespace Audiobook.Bench.Micro;

/// <summary>Normalising a client's file name (Unicode NFC, controls, path parts, length in UTF-8).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FileNameBenchmarks
{
    [Params("01 - Prelude.m4a", "C:\\Users\\me\\Music\\Chapitre 12 — l'été.M4A", "../../etc/passwd\u0000.m4a")]
    public string Name { get; set; } = "";

    [Benchmark]
    public NormalizedFileName? Normalize() => FileNames.Normalize(Name);
}
