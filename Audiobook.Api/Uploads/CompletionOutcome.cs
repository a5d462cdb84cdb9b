using Audiobook.Api.Chapters;

namespace Audiobook.Api.Uploads;

/// <summary>What completing an upload came to: the chapter, a refusal with its reason, or a missing book or upload.</summary>
public abstract record CompletionOutcome
{
    public sealed record Completed(Chapter Chapter) : CompletionOutcome;

    /// <summary>A refusal; <paramref name="Extensions"/> are further members of the problem (the parts that are missing).</summary>
    public sealed record Rejected(int Status, string Title, string Detail, string Reason, IReadOnlyDictionary<string, object?>? Extensions = null) : CompletionOutcome;

    public sealed record NotFound(bool Book) : CompletionOutcome;
}
