using Microsoft.Extensions.Localization;

namespace Certus.Kernel.Text;

/// <summary>
/// Texts formatted with a count: English needs "1 incident" but "2 incidents", so a key may have a <c>.One</c> sibling
/// used when the count is one. Chinese has no plural; its <c>.One</c> text is the same as the base key's.
/// </summary>
public static class Plurals
{
    /// <summary>
    /// <paramref name="key"/><c>.One</c> when <paramref name="count"/> is 1 and that key exists, else <paramref name="key"/>;
    /// the count fills placeholder {0} and <paramref name="more"/> fill {1}, {2}...
    /// </summary>
    public static LocalizedString Count(this IStringLocalizer text, string key, long count, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(text);
        object[] args = [count, .. more];
        if (count == 1)
        {
            var one = text[key + ".One", args];
            if (!one.ResourceNotFound)
            {
                return one;
            }
        }

        return text[key, args];
    }
}
