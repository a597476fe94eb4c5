using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages;

/// <summary>How the change pages show states, types, risk levels, times and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A time as a <c>datetime-local</c> field holds it.</summary>
    public static string? Field(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> value, read in the server's time zone (the zone the pages show times in).</summary>
    public static DateTimeOffset? Instant(DateTime? local) =>
        local is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), TimeZoneInfo.Local.GetUtcOffset(t)) : null;

    public static string StateBadge(string state) => state switch
    {
        "draft" => "bg-secondary-lt",
        "submitted" => "bg-blue-lt",
        "assessed" => "bg-indigo-lt",
        "authorised" => "bg-teal-lt",
        "rejected" => "bg-red-lt",
        "scheduled" => "bg-cyan-lt",
        "implementing" => "bg-yellow-lt",
        "implemented" => "bg-green-lt",
        "failed" => "bg-red text-red-fg",
        "backed-out" => "bg-orange-lt",
        "reviewed" => "bg-lime-lt",
        "closed" => "bg-dark-lt",
        _ => "bg-secondary-lt",
    };

    public static string TypeBadge(string type) => type switch
    {
        "standard" => "bg-green-lt",
        "emergency" => "bg-red text-red-fg",
        _ => "bg-blue-lt",
    };

    public static string RiskBadge(string? level) => level switch
    {
        "very-high" => "bg-red text-red-fg",
        "high" => "bg-orange-lt",
        "medium" => "bg-yellow-lt",
        "low" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>
    /// Puts a use case's refusal on the form: field errors next to their fields, a stale write or a conflict as a
    /// message at the top.
    /// </summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix, summarise: true);
}
