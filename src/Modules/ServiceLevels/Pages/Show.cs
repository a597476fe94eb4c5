using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages;

/// <summary>How the service level pages show times, durations and states, and how they report a refused write.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>Business minutes as hours and minutes, such as <c>4 h 30 min</c>.</summary>
    public static string Duration(double? minutes)
    {
        if (minutes is not { } value)
        {
            return "—";
        }
        var whole = (int)Math.Round(Math.Abs(value));
        var sign = value < 0 ? "-" : "";
        return whole switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{sign}{whole} min"),
            _ when whole % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{sign}{whole / 60} h"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{sign}{whole / 60} h {whole % 60} min"),
        };
    }

    /// <summary>A target in minutes and, when it is an hour or more, also as hours and minutes.</summary>
    public static string Target(int? minutes) => minutes switch
    {
        null => "—",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{minutes} min ({Duration(minutes)})"),
    };

    public static string Number(double? value) => value?.ToString("0.##", CultureInfo.CurrentCulture) ?? "—";

    public static string LifecycleBadge(string lifecycle) => lifecycle switch
    {
        "live" => "bg-green-lt",
        "in-design" => "bg-blue-lt",
        "retiring" => "bg-orange-lt",
        "retired" => "bg-red-lt",
        _ => "bg-secondary-lt",
    };

    public static string StateBadge(string state, bool breached, bool warned) => (state, breached, warned) switch
    {
        (_, true, _) => "bg-red text-red-fg",
        ("running", _, true) => "bg-orange text-orange-fg",
        ("running", _, _) => "bg-blue-lt",
        ("paused", _, _) => "bg-yellow-lt",
        ("stopped", _, _) => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>
    /// Puts a use case's refusal on the form: field errors next to their fields, a stale write as a clear message
    /// at the top (someone else saved first).
    /// </summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix);
}
