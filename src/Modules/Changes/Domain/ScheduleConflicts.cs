namespace Certus.Changes.Domain;

/// <summary>A planned slot of a change on the schedule, with what it touches.</summary>
public sealed record Slot(Guid ChangeId, string Number, string Title, DateTimeOffset Start, DateTimeOffset End, IReadOnlySet<Guid> CiIds, IReadOnlySet<string> ServiceCodes);

/// <summary>A freeze or maintenance window; no service code means every service.</summary>
public sealed record Window(Guid Id, string Kind, string Name, DateTimeOffset Start, DateTimeOffset End, string? ServiceCode);

/// <summary>
/// One reason a slot clashes: <c>Kind</c> is <c>change</c> (another change on the same CI or service at an
/// overlapping time), <c>freeze</c> (inside a freeze window) or <c>outside-maintenance</c> (its services have
/// maintenance windows and the slot is not inside one).
/// </summary>
public sealed record Conflict(string Kind, string Reference, string Title, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> Shared);

/// <summary>Finds what a proposed slot clashes with (manual §8.2; ISO/IEC 20000-1:2018 8.5.1.3).</summary>
public static class ScheduleConflicts
{
    public const string WithChange = "change";
    public const string InFreeze = "freeze";
    public const string OutsideMaintenance = "outside-maintenance";

    public const string FreezeKind = "freeze";
    public const string MaintenanceKind = "maintenance";

    public static bool Overlaps(DateTimeOffset aStart, DateTimeOffset aEnd, DateTimeOffset bStart, DateTimeOffset bEnd) => aStart < bEnd && bStart < aEnd;

    public static IReadOnlyList<Conflict> Find(Slot proposed, IEnumerable<Slot> others, IEnumerable<Window> windows, IReadOnlyDictionary<Guid, string> ciNames)
    {
        var found = new List<Conflict>();
        foreach (var other in others)
        {
            if (other.ChangeId == proposed.ChangeId || !Overlaps(proposed.Start, proposed.End, other.Start, other.End))
            {
                continue;
            }
            var shared = proposed.CiIds.Where(other.CiIds.Contains).Select(id => ciNames.TryGetValue(id, out var n) ? n : id.ToString("D"))
                .Concat(proposed.ServiceCodes.Where(other.ServiceCodes.Contains))
                .Order(StringComparer.Ordinal).ToList();
            if (shared.Count > 0)
            {
                found.Add(new Conflict(WithChange, other.Number, other.Title, other.Start, other.End, shared));
            }
        }
        var windowList = windows.ToList();
        foreach (var freeze in windowList.Where(w => w.Kind == FreezeKind && Applies(w, proposed)))
        {
            if (Overlaps(proposed.Start, proposed.End, freeze.Start, freeze.End))
            {
                found.Add(new Conflict(InFreeze, freeze.Name, freeze.Name, freeze.Start, freeze.End, Scope(freeze)));
            }
        }
        var maintenance = windowList.Where(w => w.Kind == MaintenanceKind && Applies(w, proposed)).ToList();
        if (maintenance.Count > 0 && !maintenance.Any(w => w.Start <= proposed.Start && proposed.End <= w.End))
        {
            var nearest = maintenance.OrderBy(w => (w.Start - proposed.Start).Duration()).First();
            found.Add(new Conflict(OutsideMaintenance, nearest.Name, nearest.Name, nearest.Start, nearest.End, Scope(nearest)));
        }
        return found;
    }

    private static bool Applies(Window window, Slot slot) => window.ServiceCode is null || slot.ServiceCodes.Contains(window.ServiceCode);

    private static IReadOnlyList<string> Scope(Window window) => window.ServiceCode is null ? [] : [window.ServiceCode];
}
