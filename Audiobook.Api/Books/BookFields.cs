using System.Text.RegularExpressions;
using Audiobook.Api.Http;

namespace Audiobook.Api.Books;

/// <summary>Validation of a book's text fields, shared by create and update.</summary>
public static partial class BookFields
{
    public const int MaxTitle = 300;
    public const int MaxAuthor = 200;
    public const int MaxNarrator = 200;
    public const int MaxDescription = 5000;

    public static (string? Title, string? Author, string? Narrator, string? Description, string? Language) Validate(
        FieldErrors errors, string? title, string? author, string? narrator, string? description, string? language, bool required)
    {
        var cleanTitle = errors.Field("title", title, MaxTitle, required);
        var cleanAuthor = errors.Field("author", author, MaxAuthor, required);
        var cleanNarrator = errors.Field("narrator", narrator, MaxNarrator);
        var cleanDescription = errors.Field("description", description, MaxDescription, multiline: true);
        var cleanLanguage = Text.Clean(language);
        if (cleanLanguage is not null && !IsLanguageTag(cleanLanguage))
        {
            errors.Add("language", "language must be a BCP 47 tag such as en, ko or pt-BR.");
        }
        return (cleanTitle, cleanAuthor, cleanNarrator, cleanDescription, cleanLanguage);
    }

    public static bool IsLanguageTag(string value) => LanguageTag().IsMatch(value);

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}$")]
    private static partial Regex LanguageTag();
}
