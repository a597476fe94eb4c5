using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages;

/// <summary>How the configuration pages show statuses, values and refusals.</summary>
public static class Show
{
    public static string Local(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    public static string StatusBadge(string status) => status switch
    {
        "ordered" => "bg-secondary-lt",
        "received" => "bg-azure-lt",
        "under-test" => "bg-yellow-lt",
        "in-use" => "bg-green-lt",
        "changed" => "bg-orange-lt",
        "withdrawn" => "bg-purple-lt",
        "disposed" => "bg-dark-lt",
        _ => "bg-secondary-lt",
    };

    public static string CriticalityBadge(string criticality) => criticality switch
    {
        "critical" => "bg-red text-red-fg",
        "high" => "bg-orange-lt",
        "medium" => "bg-yellow-lt",
        _ => "bg-secondary-lt",
    };

    public static string ImpactBadge(string impact) => impact switch
    {
        "source" or "target" => "bg-blue-lt",
        "both" => "bg-red-lt",
        _ => "bg-secondary-lt",
    };

    /// <summary>An attribute's value as the page shows it: numbers in the UI culture, references as the CI's identifier.</summary>
    public static string Value(JsonElement value, IReadOnlyDictionary<Guid, string>? references = null) => value.ValueKind switch
    {
        JsonValueKind.String when Guid.TryParse(value.GetString(), out var id) && references is not null && references.TryGetValue(id, out var identifier) => identifier,
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetDecimal().ToString("0.##########", CultureInfo.CurrentCulture),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        _ => value.GetRawText(),
    };

    /// <summary>A value as a form field holds it (invariant numbers, dates as yyyy-MM-dd).</summary>
    public static string? FieldValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDecimal().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    public static string ClassOption(ClassView c, IReadOnlyList<ClassView> all, string culture)
    {
        var depth = 0;
        for (var p = c.ParentId; p is { } parent && depth < 10; p = all.FirstOrDefault(x => x.Id == parent)?.ParentId)
        {
            depth++;
        }
        return new string('\u00A0', depth * 4) + c.Name(culture);
    }

    /// <summary>Classes in tree order: each parent followed by its children, siblings by name.</summary>
    public static IReadOnlyList<ClassView> Tree(IReadOnlyList<ClassView> classes, string culture)
    {
        var result = new List<ClassView>();
        void Add(Guid? parent)
        {
            foreach (var c in classes.Where(c => c.ParentId == parent).OrderBy(c => c.Name(culture), StringComparer.CurrentCulture))
            {
                result.Add(c);
                Add(c.Id);
            }
        }
        Add(null);
        return result;
    }

    /// <summary>
    /// Puts a use case's refusal on the form: field errors next to their fields, a stale write or a conflict as a
    /// message at the top.
    /// </summary>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, IStringLocalizer text, string prefix = "Input") =>
        modelState.AddOutcome(failure, text["Page.Stale"], prefix);
}
