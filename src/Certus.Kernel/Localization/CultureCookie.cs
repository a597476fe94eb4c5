using Microsoft.AspNetCore.Http;

namespace Certus.Kernel.Localization;

/// <summary>The cookie that remembers the language chosen on this browser.</summary>
public static class CultureCookie
{
    public const string Name = ".certus.culture";

    public static void Remember(HttpContext http, string culture) =>
        http.Response.Cookies.Append(Name, culture, new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
        });
}
