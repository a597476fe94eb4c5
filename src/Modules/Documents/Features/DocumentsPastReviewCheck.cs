using System.Globalization;
using Certus.Documents.Contracts;
using Certus.Kernel.Conformity;
using Microsoft.Extensions.Localization;

namespace Certus.Documents.Features;

/// <summary>
/// Documents past their review date = 0 (ISO/IEC 20000-1:2018 7.5.2, 7.5.3; 2005 3.2; manual §2.2.5). Only documents
/// in force count: a draft has nothing to review yet.
/// </summary>
public sealed class DocumentsPastReviewCheck(IDocumentEvidence documents, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "documents.past-review-date";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.5.2"), ClauseRef.Of2018("7.5.3"), ClauseRef.Of2005("3.2")];

    public string Title => text["Check.PastReview"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.ToLocalTime().DateTime);
        var inForce = (await documents.AllAsync(ct)).Where(d => d.Effective).ToList();
        var overdue = inForce.Where(d => d.ReviewDue is { } due && due < today).ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Check.PastReview.InForce"], inForce.Count),
            new(text["Check.PastReview.Overdue"], overdue.Count),
        };
        var records = overdue.Take(50).Select(d => new EvidenceRecord(d.Code, $"{d.Title} ({d.ReviewDue!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})", d.Path)).ToList();
        if (inForce.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.PastReview.None"], figures, []);
        }
        return overdue.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.PastReview.Ok", inForce.Count], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.PastReview.Gap", overdue.Count], figures, records);
    }
}
