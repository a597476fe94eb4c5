using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Certus.ServiceLevels.Pages.Agreements;

/// <summary>The terms of an agreement version as the form posts them: a P1–P5 grid of response and resolution minutes.</summary>
public sealed class TermsForm
{
    public static readonly IReadOnlyList<string> Pausable = ["new", "assigned", "in-progress", "pending"];

    public Guid? CalendarId { get; set; }

    public double? AvailabilityTarget { get; set; }

    public int? WarningPercent { get; set; } = 75;

    public List<string> PauseStatuses { get; set; } = ["pending"];

    public string OnReopen { get; set; } = "resume";

    public string? Notes { get; set; }

    /// <summary>Response minutes for P1 to P5.</summary>
    public int?[] Response { get; set; } = new int?[5];

    /// <summary>Resolution minutes for P1 to P5.</summary>
    public int?[] Resolution { get; set; } = new int?[5];

    public Features.Agreements.Terms ToTerms() => new(
        CalendarId, AvailabilityTarget, WarningPercent, [.. PauseStatuses.Where(s => !string.IsNullOrWhiteSpace(s))], OnReopen, Notes,
        [.. Enumerable.Range(0, 5)
            .Where(i => At(Response, i) is not null || At(Resolution, i) is not null)
            .Select(i => new TargetView(i + 1, At(Response, i), At(Resolution, i)))]);

    public static TermsForm From(AgreementVersionView version) => new()
    {
        CalendarId = version.CalendarId,
        AvailabilityTarget = version.AvailabilityTarget,
        WarningPercent = version.WarningPercent,
        PauseStatuses = [.. version.PauseStatuses],
        OnReopen = version.OnReopen,
        Notes = version.Notes,
        Response = [.. Enumerable.Range(1, 5).Select(p => version.Targets.FirstOrDefault(t => t.Priority == p)?.ResponseMinutes)],
        Resolution = [.. Enumerable.Range(1, 5).Select(p => version.Targets.FirstOrDefault(t => t.Priority == p)?.ResolutionMinutes)],
    };

    private static int? At(int?[] values, int index) => index < values.Length ? values[index] : null;

    /// <summary>The use case names the terms' fields without the form's <c>Terms.</c> prefix; puts them next to their fields.</summary>
    public static void PrefixErrors(ModelStateDictionary modelState)
    {
        foreach (var field in new[] { "CalendarId", "WarningPercent", "AvailabilityTarget", "PauseStatuses", "OnReopen", "Notes", "Targets" })
        {
            if (modelState.TryGetValue(field, out var entry))
            {
                var messages = entry.Errors.Select(e => e.ErrorMessage).ToList();
                modelState.Remove(field);
                foreach (var message in messages)
                {
                    modelState.AddModelError($"Terms.{field}", message);
                }
            }
        }
    }
}
