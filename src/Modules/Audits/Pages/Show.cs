using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages;

/// <summary>How the audit pages show times, statuses and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The calendar day in China Standard Time, the calendar review periods are given in.</summary>
    public static string Day(DateTimeOffset? at) => at?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Badge(string status) => status switch
    {
        "planned" => "bg-azure-lt",
        "in-progress" or "open" => "bg-yellow-lt",
        "reported" or "held" => "bg-teal-lt",
        "closed" or "done" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    public static string KindBadge(string kind) => kind switch
    {
        "major" => "bg-red text-red-fg",
        "minor" => "bg-orange-lt",
        "observation" => "bg-azure-lt",
        _ => "bg-green-lt",
    };

    public static string FigureValue(decimal value, string? unit) => value.ToString("0.##", CultureInfo.InvariantCulture) + (unit ?? "");

    /// <summary>Puts a refusal on the form: field errors by their field, a stale write or a conflict at the top.</summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix);
}
