using System.Globalization;
using Certus.Data;
using Certus.Documents.Contracts;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>Every registered document with the clauses it serves and whether a version is in force, for the conformity view.</summary>
public sealed class DocumentEvidenceSource(Database database) : IDocumentEvidence
{
    public async Task<IReadOnlyList<DocumentEvidence>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var docs = await connection.QueryAsync<DocumentView>(new CommandDefinition(
            $"SELECT {DocumentView.Columns} FROM doc_documents ORDER BY code", cancellationToken: ct));
        var effective = (await connection.QueryAsync<(Guid DocumentId, string Label)>(new CommandDefinition(
            "SELECT document_id, label FROM doc_versions WHERE status = 'effective'", cancellationToken: ct))).ToDictionary(v => v.DocumentId, v => v.Label);
        var culture = CultureInfo.CurrentUICulture;
        return [.. docs.Select(d => new DocumentEvidence(d.Code, d.Title(culture), d.Tier, effective.ContainsKey(d.Id), effective.GetValueOrDefault(d.Id),
            d.ReviewDue, d.Clauses, $"/documents/{d.Code}"))];
    }
}
