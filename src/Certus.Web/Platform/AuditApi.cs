using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certus.Web.Platform;

/// <summary>The audit trail over REST: a record's history, and verification of the hash chain.</summary>
internal static class AuditApi
{
    public sealed record EntryView(
        long Seq, DateTimeOffset OccurredAt, Guid? ActorId, string ActorName, Guid? OrganisationId,
        string RecordType, string RecordId, string Action, IReadOnlyList<AuditChange> Changes, string? Reason, string Hash);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapGroup("/api/v1/audit").WithTags("Audit trail").RequirePermission(PlatformPermissions.AuditRead);
        audit.MapGet("", History)
            .WithSummary("A record's history (recordType and recordId), or the latest entries; scoped to the caller's organisation.");
        audit.MapGet("/verify", Verify)
            .WithSummary("Walk the hash chain and name the first entry that no longer matches.");
    }

    private static async Task<Ok<IReadOnlyList<EntryView>>> History(
        string? recordType, string? recordId, long? before, int? limit, AuditQueries queries, CancellationToken ct)
    {
        var entries = !string.IsNullOrWhiteSpace(recordType) && !string.IsNullOrWhiteSpace(recordId)
            ? await queries.HistoryAsync(recordType, recordId, ct)
            : await queries.RecentAsync(Math.Clamp(limit ?? 100, 1, 500), before, ct);
        return TypedResults.Ok<IReadOnlyList<EntryView>>(entries.Select(ToView).ToList());
    }

    private static async Task<Ok<AuditVerification>> Verify(Database database, CancellationToken ct) =>
        TypedResults.Ok(await AuditTrail.VerifyAsync(database, ct));

    public static EntryView ToView(AuditEntry e) =>
        new(e.Seq, e.OccurredAt, e.ActorId, e.ActorName, e.OrganisationId, e.RecordType, e.RecordId, e.Action, e.ParsedChanges(), e.Reason, e.Hash);
}
