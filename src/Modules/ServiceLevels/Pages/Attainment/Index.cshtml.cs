using System.Globalization;
using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Attainment;

/// <summary>SLA attainment for a period (default this month), grouped by service, customer or priority, and the recent breaches.</summary>
[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class IndexModel(
    SlaAttainment attainment, BreachList breaches, Database database, IEnumerable<IIncidentEscalation> incidents, IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>First day of the period, <c>yyyy-MM-dd</c>, local time.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Day after the period, <c>yyyy-MM-dd</c>, local time.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? GroupBy { get; set; }

    public AttainmentReport? Report { get; private set; }

    public IReadOnlyList<BreachView> Breaches { get; private set; } = [];

    /// <summary>Incident numbers of the breaches, for links to the incident pages.</summary>
    public IReadOnlyDictionary<Guid, long> IncidentNumbers { get; private set; } = new Dictionary<Guid, long>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateTime.Today;
        var monthStart = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        From = string.IsNullOrWhiteSpace(From) ? monthStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : From;
        To = string.IsNullOrWhiteSpace(To) ? monthStart.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : To;
        GroupBy ??= "service";
        var from = Day(nameof(From), From);
        var to = Day(nameof(To), To);
        if (!ModelState.IsValid)
        {
            return;
        }
        var outcome = await attainment.HandleAsync(from, to, GroupBy, CultureInfo.CurrentUICulture.Name, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddOutcome(outcome.Failure!, text, prefix: "");
            return;
        }
        Report = outcome.Value;
        Breaches = await breaches.HandleAsync(from, to, 50, ct);
        IncidentNumbers = await NumbersAsync(ct);
    }

    private async Task<Dictionary<Guid, long>> NumbersAsync(CancellationToken ct)
    {
        var numbers = new Dictionary<Guid, long>();
        if (Breaches.Count == 0 || incidents.FirstOrDefault() is not { } lookup)
        {
            return numbers;
        }
        // A read transaction: the lookup wants one, and a plain BEGIN on SQLite would take the write lock and wait
        // behind every writer.
        return await database.ReadAsync(async (connection, tx) =>
        {
            foreach (var id in Breaches.Select(b => b.IncidentId).Distinct())
            {
                if (await lookup.FindAsync(id, connection, tx, ct) is { } facts)
                {
                    numbers[id] = facts.Number;
                }
            }
            return numbers;
        }, ct);
    }

    private DateTimeOffset? Day(string field, string? value)
    {
        if (DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day, TimeZoneInfo.Local.GetUtcOffset(day));
        }
        ModelState.AddModelError(field, text["Validation.Date"]);
        return null;
    }
}
