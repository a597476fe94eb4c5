using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages;

/// <summary>How the release pages show states, times and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A time as a <c>datetime-local</c> input holds it.</summary>
    public static string? Input(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> value read in the server's zone, as the page showed it.</summary>
    public static DateTimeOffset? Parse(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local) ? new DateTimeOffset(local) : null;

    public static string StateBadge(string state) => state switch
    {
        "planned" => "bg-secondary-lt",
        "building" => "bg-azure-lt",
        "testing" => "bg-yellow-lt",
        "accepted" => "bg-teal-lt",
        "deploying" => "bg-blue-lt",
        "deployed" => "bg-green-lt",
        "failed" => "bg-red text-red-fg",
        "backed-out" => "bg-orange-lt",
        "closed" => "bg-dark-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>A change's state as change management names it, in the UI language.</summary>
    public static string ChangeState(IStringLocalizer text, string state)
    {
        var label = text[$"ChangeState.{state}"];
        return label.ResourceNotFound ? state : label.Value;
    }

    public static bool DeadChange(string? state) => state is "rejected" or "failed" or "backed-out" or "cancelled";

    public static string ResultBadge(string result) => result == "passed" ? "bg-green-lt" : "bg-red-lt";

    /// <summary>A release type's label: the standard ones in the UI language, a policy's own as written.</summary>
    public static string Type(IStringLocalizer text, string key)
    {
        var label = text[$"Type.{key}"];
        return label.ResourceNotFound ? key : label.Value;
    }

    /// <summary>Puts a use case's refusal on the form: field errors next to their fields, anything else at the top.</summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input")
    {
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            modelState.AddModelError(string.Empty, text["Page.Stale"]);
            return;
        }
        if (failure.Kind != FailureKind.Validation || failure.Fields is not { Count: > 0 })
        {
            modelState.AddModelError(string.Empty, failure.Message);
            return;
        }
        modelState.AddFailure(failure, prefix);
    }

    /// <summary>Lines of a textarea, trimmed, without blanks.</summary>
    public static IReadOnlyList<string> Lines(string? value) =>
        [.. (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
