using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>How the policy, objective and risk pages show times, values, levels and refusals.</summary>
public static class PlanningShow
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    public static string Day(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A value with its unit: <c>99.2%</c>, <c>3</c>, <c>92 分</c>; a dash when there is none.</summary>
    public static string Value(decimal? value, string? unit) =>
        value is not { } v ? "—" : v.ToString("0.##", CultureInfo.InvariantCulture) + (unit is null or "" ? "" : unit == "%" ? "%" : " " + unit);

    public static string Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";

    public static string Comparator(string direction) => direction == "at-most" ? "≤" : "≥";

    public static string ResultBadge(string? result) => result switch
    {
        "met" => "bg-green-lt",
        "not-met" => "bg-red-lt",
        _ => "bg-secondary-lt",
    };

    public static string LevelBadge(string? level) => level switch
    {
        "critical" => "bg-red text-red-fg",
        "high" => "bg-orange-lt",
        "medium" => "bg-yellow-lt",
        "low" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>The heat map's cell colour for a level.</summary>
    public static string LevelCell(string level) => $"risk-cell risk-{level}";

    public static string StatusBadge(string status) => status switch
    {
        "draft" or "identified" => "bg-azure-lt",
        "approved" or "active" or "monitored" => "bg-green-lt",
        "treating" => "bg-yellow-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>Puts a refusal on the form: field errors by their field, a stale write or a conflict at the top.</summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input")
    {
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            modelState.AddModelError(string.Empty, text["Page.Stale"]);
            return;
        }
        if (failure.Fields is { Count: > 0 } fields && (failure.Kind == FailureKind.Conflict || prefix.Length == 0))
        {
            // A refused move names what is missing, and a small form has no place per field: shown together at the top.
            modelState.AddModelError(string.Empty, $"{failure.Message} {string.Join(" ", fields.SelectMany(f => f.Value))}");
            return;
        }
        modelState.AddFailure(failure, prefix);
        if (failure.Fields is { Count: > 0 })
        {
            modelState.AddModelError(string.Empty, text["Page.FixFields"]);
        }
    }
}
