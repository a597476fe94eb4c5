using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>A list view someone named and kept: the queue, filters, search and sort as a query string.</summary>
public sealed class SavedFilterView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Query { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Each person's saved incident filters.</summary>
public sealed class SavedFilters(Database database, AuditTrail audit, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    private static readonly string[] Keys = ["queue", "status", "priority", "assignee", "group", "organisation", "q", "sort"];

    public sealed record Request(string? Name, string? Query);

    public async Task<IReadOnlyList<SavedFilterView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SavedFilterView>(new CommandDefinition(
            "SELECT id, name, query, created_at FROM inc_saved_filters WHERE user_id = @user ORDER BY name",
            new { user = caller.UserId }, cancellationToken: ct))).ToList();
    }

    public async Task<Outcome<SavedFilterView>> SaveAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 60).Optional("query", request.Query, 1000);
        var query = Normalise(request.Query);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var filter = new SavedFilterView { Id = Guid.CreateVersion7(), Name = request.Name!.Trim(), Query = query, CreatedAt = clock.GetUtcNow() };
        return await database.WriteAsync<Outcome<SavedFilterView>>(async (connection, tx) =>
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM inc_saved_filters WHERE user_id = @user AND name = @Name", new { user = caller.UserId, filter.Name }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate"));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO inc_saved_filters (id, user_id, name, query, created_at) VALUES (@Id, @user, @Name, @Query, @CreatedAt)",
                new { filter.Id, user = caller.UserId, filter.Name, filter.Query, filter.CreatedAt }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent("incident-filter", filter.Id.ToString("D"), "created", caller.OrganisationId,
                [new AuditChange("name", null, filter.Name), new AuditChange("query", null, filter.Query)]), ct);
            return filter;
        }, ct);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct = default) =>
        await database.WriteAsync(async (connection, tx) =>
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM inc_saved_filters WHERE id = @id AND user_id = @user", new { id, user = caller.UserId }, tx, cancellationToken: ct));
            if (deleted > 0)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent("incident-filter", id.ToString("D"), "deleted", caller.OrganisationId, []), ct);
            }
            return deleted > 0;
        }, ct);

    /// <summary>Keeps only the list's own parameters, so a saved filter cannot smuggle anything else into the URL.</summary>
    private static string Normalise(string? query)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query ?? "");
        return string.Join('&', Keys.Where(k => parsed.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v))
            .Select(k => $"{k}={Uri.EscapeDataString(parsed[k].ToString())}"));
    }
}
