using Certus.Data;
using Certus.Data.Audit;
using Certus.Incidents.Data;
using Certus.Incidents.Domain;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>A category or subcategory, named in both languages.</summary>
public sealed class CategoryView
{
    public Guid Id { get; init; }
    public Guid? ParentId { get; init; }
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public int Sort { get; init; }

    public string Name(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameZh : NameEn;
}

/// <summary>The configurable parts of incident management: the category tree and the priority matrix.</summary>
public sealed class IncidentSettings(Database database, AuditTrail audit, Texts<Strings> text)
{
    public sealed record CategoryRequest(string? NameEn, string? NameZh, Guid? ParentId, int? Sort);

    public sealed record MatrixCell(string Impact, string Urgency, int Priority);

    public async Task<IReadOnlyList<CategoryView>> CategoriesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CategoryView>(new CommandDefinition(
            "SELECT id, parent_id, name_en, name_zh, sort FROM inc_categories ORDER BY sort, name_en", cancellationToken: ct))).ToList();
    }

    public async Task<Outcome<CategoryView>> AddCategoryAsync(CategoryRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("nameEn", request.NameEn, 100).Required("nameZh", request.NameZh, 100);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var category = new CategoryView
        {
            Id = Guid.CreateVersion7(), ParentId = request.ParentId, NameEn = request.NameEn!.Trim(), NameZh = request.NameZh!.Trim(), Sort = request.Sort ?? 100,
        };
        return await database.WriteAsync<Outcome<CategoryView>>(async (connection, tx) =>
        {
            if (request.ParentId is { } parent)
            {
                var grandparent = await connection.QuerySingleOrDefaultAsync<CategoryView>(new CommandDefinition(
                    "SELECT id, parent_id FROM inc_categories WHERE id = @parent", new { parent }, tx, cancellationToken: ct));
                if (grandparent is null)
                {
                    return text.Invalid(text.Errors().Add("parentId", "Validation.Unknown", parent));
                }
                if (grandparent.ParentId is not null)
                {
                    return text.Invalid(text.Errors().AddMessage("parentId", text["Category.TwoLevels"]));
                }
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO inc_categories (id, parent_id, name_en, name_zh, sort, version) VALUES (@Id, @ParentId, @NameEn, @NameZh, @Sort, 1)",
                category, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent("incident-category", category.Id.ToString("D"), "created", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["nameEn"] = category.NameEn, ["nameZh"] = category.NameZh, ["parentId"] = category.ParentId,
                })), ct);
            return category;
        }, ct);
    }

    public async Task<IReadOnlyList<MatrixCell>> MatrixAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var matrix = await PriorityMatrixStore.LoadAsync(connection, null, ct);
        return matrix.Cells.Select(c => new MatrixCell(c.Key.Impact.Key(), c.Key.Urgency.Key(), c.Value))
            .OrderBy(c => c.Impact, StringComparer.Ordinal).ThenBy(c => c.Urgency, StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces the matrix; open incidents keep their priority until their impact or urgency changes.</summary>
    public async Task<Outcome<IReadOnlyList<MatrixCell>>> SetMatrixAsync(IReadOnlyList<MatrixCell>? cells, CancellationToken ct = default)
    {
        var parsed = new Dictionary<(Level, Level), int>();
        foreach (var cell in cells ?? [])
        {
            if (IncidentNames.ParseLevel(cell.Impact) is { } i && IncidentNames.ParseLevel(cell.Urgency) is { } u && cell.Priority is >= 1 and <= 5)
            {
                parsed[(i, u)] = cell.Priority;
            }
        }
        if (parsed.Count != 9 || (cells?.Count ?? 0) != 9)
        {
            return text.Invalid(text.Errors().AddMessage("cells", text["Matrix.Complete"]));
        }
        var matrix = new PriorityMatrix(parsed);
        await database.WriteAsync(async (connection, tx) =>
        {
            var before = (await PriorityMatrixStore.LoadAsync(connection, tx, ct)).Cells
                .Select(c => new MatrixCell(c.Key.Impact.Key(), c.Key.Urgency.Key(), c.Value)).ToList();
            foreach (var ((impact, urgency), priority) in matrix.Cells)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE inc_priority_matrix SET priority = @priority WHERE impact = @impact AND urgency = @urgency",
                    new { priority, impact = impact.Key(), urgency = urgency.Key() }, tx, cancellationToken: ct));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent("incident-priority-matrix", "default", "updated", null,
                AuditTrail.Diff(
                    before.ToDictionary(c => $"{c.Impact}/{c.Urgency}", c => (object?)$"P{c.Priority}", StringComparer.Ordinal),
                    matrix.Cells.ToDictionary(c => $"{c.Key.Impact.Key()}/{c.Key.Urgency.Key()}", c => (object?)$"P{c.Value}", StringComparer.Ordinal))), ct);
            return true;
        }, ct);
        return Outcome.Ok(await MatrixAsync(ct));
    }
}
