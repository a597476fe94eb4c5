using System.Globalization;

namespace Certus.Improvement.Pages;

/// <summary>How the improvement pages show times and statuses.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    public static string Badge(string status) => status switch
    {
        "open" or "proposed" => "bg-red-lt",
        "analysed" or "evaluated" => "bg-orange-lt",
        "action" or "approved" or "in-progress" => "bg-yellow-lt",
        "verification" => "bg-azure-lt",
        "verified" => "bg-teal-lt",
        "closed" or "done" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    public static string SeverityBadge(string severity) => severity == "major" ? "bg-red text-red-fg" : "bg-orange-lt";
}
