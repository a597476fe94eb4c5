using System.Globalization;
using Certus.Documents.Contracts;
using Certus.Kernel.Conformity;
using Microsoft.Extensions.Localization;

namespace Certus.Documents.Features;

/// <summary>
/// Documents in force within their review date (ISO/IEC 20000-1:2018 6.2, 7.5.2; manual §2.2.5): the share of effective
/// documents whose next review date had not passed at the period's end (today, for a period not over). The register keeps
/// only the current review date, so a past period is judged as the register stands; the objective's kept snapshot
/// holds the value as it was when first seen after the period. The overdue ones are the records.
/// </summary>
public sealed class DocumentsReviewedMeasure(IDocumentEvidence documents, IStringLocalizer<Strings> text, TimeProvider clock) : IObjectiveMeasure
{
    public string Key => "documents.reviewed-on-time";

    public string Title => text["Measure.Reviewed"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var at = to < clock.GetUtcNow() ? to.AddTicks(-1) : clock.GetUtcNow();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, clock.LocalTimeZone).DateTime);
        var inForce = (await documents.AllAsync(ct)).Where(d => d.Effective).ToList();
        var overdue = inForce.Where(d => d.ReviewDue is { } due && due < day).ToList();
        var figures = new[] { new CheckFigure(text["Check.PastReview.InForce"], inForce.Count), new CheckFigure(text["Check.PastReview.Overdue"], overdue.Count) };
        if (inForce.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * (inForce.Count - overdue.Count) / inForce.Count, 1), figures,
            [.. overdue.Take(50).Select(d => new EvidenceRecord(d.Code, $"{d.Title} ({d.ReviewDue!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})", d.Path))]);
    }
}
