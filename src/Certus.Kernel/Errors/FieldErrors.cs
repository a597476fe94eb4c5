using Microsoft.Extensions.Localization;

namespace Certus.Kernel.Errors;

/// <summary>
/// Collects per-field validation messages, already in the caller's language, for an RFC 7807 response.
/// </summary>
public sealed class FieldErrors(IStringLocalizer text)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>How many messages have been collected, over all fields.</summary>
    public int Count => _errors.Sum(e => e.Value.Count);

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Adds the kernel message stored under <paramref name="messageKey"/>, formatted with <paramref name="args"/>.</summary>
    public FieldErrors Add(string field, string messageKey, params object[] args) => AddMessage(field, text[messageKey, args].Value);

    /// <summary>Adds a message already in the caller's language (a module's own wording).</summary>
    public FieldErrors AddMessage(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
        return this;
    }

    public FieldErrors Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "Validation.Required");
        }
        return value.Length > maxLength ? Add(field, "Validation.TooLong", maxLength) : this;
    }

    public FieldErrors Optional(string field, string? value, int maxLength)
        => value is not null && value.Length > maxLength ? Add(field, "Validation.TooLong", maxLength) : this;

    public FieldErrors When(bool condition, string field, string messageKey, params object[] args)
        => condition ? Add(field, messageKey, args) : this;
}
