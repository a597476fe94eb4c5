using System.Globalization;

namespace Certus.Documents.Pages;

/// <summary>How the document pages show times and states.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    public static string Day(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string StatusClass(string? status) => status switch
    {
        "draft" => "bg-secondary-lt",
        "in-review" => "bg-yellow-lt",
        "approved" => "bg-azure-lt",
        "effective" => "bg-green-lt",
        "retained" => "bg-purple-lt",
        "disposed" => "bg-dark-lt",
        _ => "bg-secondary-lt",
    };

    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };
}
