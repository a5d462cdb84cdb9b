using Microsoft.AspNetCore.Http.HttpResults;

namespace Audiobook.Api.Http;

/// <summary>
/// What is wrong with a request's fields, collected so that one 400 names every one of them (a
/// validation problem, its <c>errors</c> by field). Request records fill it in their <c>Validate</c>.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> errors = [];

    public bool Any => errors.Count > 0;

    /// <summary>Records what is wrong with a field; the last word on a field is the one kept.</summary>
    public void Add(string field, string message) => errors[field] = [message];

    /// <summary>
    /// A text field as it is stored (<see cref="Text.Clean"/>): null when absent or blank (an error when
    /// <paramref name="required"/>), an error when longer than <paramref name="maxLength"/> or holding
    /// control characters (line breaks only where <paramref name="multiline"/>) or invalid Unicode.
    /// </summary>
    public string? Field(string name, string? value, int maxLength, bool required = false, bool multiline = false)
    {
        var cleaned = Text.Clean(value);
        if (cleaned is null)
        {
            if (required)
            {
                Add(name, $"{name} is required.");
            }
            return null;
        }
        if (cleaned.Length > maxLength)
        {
            Add(name, $"{name} must be at most {maxLength} characters.");
        }
        else if (Text.HasControlCharacters(cleaned, multiline) || !Text.IsWellFormed(cleaned))
        {
            Add(name, $"{name} contains control characters or invalid Unicode.");
        }
        return cleaned;
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(errors);

    /// <summary>A 400 about one field.</summary>
    public static ValidationProblem Problem(string field, string message)
    {
        var one = new FieldErrors();
        one.Add(field, message);
        return one.ToProblem();
    }
}
