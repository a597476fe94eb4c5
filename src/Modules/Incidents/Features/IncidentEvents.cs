using System.Data.Common;
using Certus.Incidents.Contracts;
using Certus.Kernel.Events;

namespace Certus.Incidents.Features;

/// <summary>Publishes <see cref="IncidentChanged"/> with the incident as the transaction now sees it.</summary>
public sealed class IncidentEvents(DomainEvents events)
{
    /// <returns>The incident as published, so the caller need not read it again.</returns>
    public async Task<IncidentView> ChangedAsync(DbConnection connection, DbTransaction tx, Guid id, string? previousStatus, DateTimeOffset at, CancellationToken ct)
    {
        var incident = (await IncidentQueries.LoadAsync(connection, tx, id, ct))!;
        await events.PublishAsync(new IncidentChanged(Facts(incident), previousStatus, at), connection, tx, ct);
        return incident;
    }

    internal static IncidentFacts Facts(IncidentView i) => new(
        i.Id, i.NumberValue, i.OrganisationId, i.ServiceRef, i.AssignmentGroupId, i.AssigneeId, i.Priority, i.Status, i.PendingReason, i.Title,
        i.CreatedAt, i.FirstResponseAt, i.ResolvedAt);
}
