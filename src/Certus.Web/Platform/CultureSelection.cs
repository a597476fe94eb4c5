using System.Globalization;
using Certus.Identity.Contracts;
using Certus.Kernel.Localization;
using Microsoft.AspNetCore.Localization;

namespace Certus.Web.Platform;

/// <summary>
/// Picks the request's language: the choice the user made on this browser (cookie), then the one saved on
/// their account, then the browser's Accept-Language (any zh-* reads as Simplified Chinese), then the default.
/// </summary>
internal sealed class CultureSelection : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var chosen = Pick(httpContext.Request.Cookies[CultureCookie.Name])
            ?? Pick(httpContext.User.FindFirst(IdentityClaims.Culture)?.Value)
            ?? FromAcceptLanguage(httpContext.Request.Headers.AcceptLanguage.ToString());
        return Task.FromResult(chosen is null ? null : new ProviderCultureResult(chosen));
    }

    private static string? Pick(string? culture) => Cultures.IsSupported(culture) ? culture : null;

    private static string? FromAcceptLanguage(string header)
    {
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.Split(';')[0].Trim();
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
            {
                return Cultures.Chinese;
            }
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return Cultures.English;
            }
        }
        return null;
    }

    public static IList<CultureInfo> Supported() => Cultures.Supported.Select(c => new CultureInfo(c)).ToList();
}
