using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages;

/// <summary>How the competence pages show levels, states and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    public static string Day(DateTimeOffset? at) => at?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A list as the language writes one: 、 between Chinese items, a comma in English.</summary>
    public static string Join(IEnumerable<string> items) =>
        string.Join(CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "、" : ", ", items);

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(decimal? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The matrix cell's colour: a gap red, a requirement met green, a level beyond any requirement grey.</summary>
    public static string Cell(int level, int required) =>
        required == 0 ? (level > 0 ? "cpt-cell cpt-extra" : "cpt-cell cpt-none") : level < required ? "cpt-cell cpt-gap" : "cpt-cell cpt-met";

    public static string SessionBadge(string status) => status switch
    {
        "planned" => "bg-azure-lt",
        "held" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    public static string CertificateBadge(string state) => state switch
    {
        "expired" => "bg-red text-red-fg",
        "expiring" => "bg-orange text-orange-fg",
        "valid" => "bg-green-lt",
        _ => "bg-secondary-lt",
    };

    public static string ReviewBadge(string status) => status switch
    {
        "draft" => "bg-yellow-lt",
        "completed" => "bg-azure-lt",
        _ => "bg-green-lt",
    };

    public static string AttendanceBadge(string status) => status switch
    {
        "attended" => "bg-green-lt",
        "absent" => "bg-red-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>Puts a refusal on the form: field errors by their field, a stale write or a conflict at the top.</summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix);

    /// <summary>The messages a refusal gives for <paramref name="field"/> (for forms whose fields are not bound properties).</summary>
    public static IReadOnlyList<string> For(this Failure? failure, string field) =>
        failure?.Fields is { } fields && fields.TryGetValue(field, out var messages) ? messages : [];
}
