namespace Certus.Documents.Contracts;

/// <summary>A registered document as evidence for clauses: what it is, whether it is in force, and where to read it.</summary>
/// <param name="Code">Document code, such as <c>B-07</c>.</param>
/// <param name="Title">Title in the caller's language.</param>
/// <param name="Tier"><c>A</c> manual, <c>B</c> procedure, <c>C</c> work instruction or rule, <c>D</c> record or form.</param>
/// <param name="Effective">True when a version is effective (approved and published).</param>
/// <param name="EffectiveVersion">Label of the effective version, if any.</param>
/// <param name="ReviewDue">Next review date, if set.</param>
/// <param name="Clauses">Clauses of ISO/IEC 20000-1 the document serves, as <c>2018:8.6.1</c> or <c>2005:8.2</c>.</param>
/// <param name="Path">Page of the document.</param>
public sealed record DocumentEvidence(
    string Code, string Title, string Tier, bool Effective, string? EffectiveVersion, DateOnly? ReviewDue, IReadOnlyList<string> Clauses, string Path);

/// <summary>The document register as the compliance module reads it: every document and the clauses it serves.</summary>
public interface IDocumentEvidence
{
    Task<IReadOnlyList<DocumentEvidence>> AllAsync(CancellationToken ct);
}
