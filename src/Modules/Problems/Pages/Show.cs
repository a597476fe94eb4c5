using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages;

/// <summary>A problem's audit history and the names of the people and groups its entries refer to by id.</summary>
public sealed record HistoryView(IReadOnlyList<Certus.Data.Audit.AuditEntry> Entries, IReadOnlyDictionary<string, string> Names);

/// <summary>How the problem pages show states, priorities, times and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>An audit value that is a timestamp (<c>2026-11-21T14:49:23.834652Z</c>), or null.</summary>
    public static DateTimeOffset? Instant(string value) =>
        value.Length >= 19 && value[4] == '-' && value[10] == 'T'
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public static string StateBadge(string state) => state switch
    {
        "logged" => "bg-secondary-lt",
        "investigating" => "bg-blue-lt",
        "known-error" => "bg-orange-lt",
        "fix-pending" => "bg-yellow-lt",
        "resolved" => "bg-green-lt",
        "closed" => "bg-dark-lt",
        _ => "bg-secondary-lt",
    };

    public static string PriorityBadge(int priority) => priority switch
    {
        1 => "bg-red text-red-fg",
        2 => "bg-orange-lt",
        3 => "bg-yellow-lt",
        4 => "bg-blue-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>The badge colour of a change's state, as change management colours it.</summary>
    public static string ChangeBadge(string state) => state switch
    {
        "implemented" or "reviewed" or "closed" => "bg-green-lt",
        "failed" or "rejected" => "bg-red-lt",
        "backed-out" => "bg-orange-lt",
        "cancelled" => "bg-secondary-lt",
        "draft" => "bg-secondary-lt",
        _ => "bg-blue-lt",
    };

    /// <summary>
    /// Puts a use case's refusal on the form: field errors next to their fields, a stale write or a conflict as a message
    /// at the top.
    /// </summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix, summarise: true);
}
