namespace Audiobook.Api.Books;

/// <summary>
/// What a completed file offers a book: its narrator, description and language from its tags (taken
/// only by the book's first chapter), and its cover (taken while the book has none). A field that has
/// a value keeps it; the owner's word always wins.
/// </summary>
public sealed record BookFill(string? Narrator = null, string? Description = null, string? Language = null, BookCover? Cover = null)
{
    public static readonly BookFill Nothing = new();

    /// <summary>The book item's attributes this fill sets where they are absent.</summary>
    public IEnumerable<(string Attribute, string Value)> Attributes()
    {
        if (Narrator is not null)
        {
            yield return ("narrator", Narrator);
        }
        if (Description is not null)
        {
            yield return ("description", Description);
        }
        if (Language is not null)
        {
            yield return ("language", Language);
        }
        if (Cover is not null)
        {
            yield return (BookItems.CoverKey, Cover.ObjectKey);
            yield return (BookItems.CoverType, Cover.ContentType);
        }
    }
}
