using Microsoft.Extensions.Localization;

namespace Certus.Web.Components;

public static class LocalizedStringExtensions
{
    /// <summary>The translation, or <paramref name="raw"/> when there is none yet (a module's new action name).</summary>
    public static string Or(this LocalizedString text, string raw) => text.ResourceNotFound ? raw : text.Value;
}
