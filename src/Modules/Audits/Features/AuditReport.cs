using System.Globalization;
using System.Text;
using Certus.Kernel.Errors;
using Certus.Kernel.Text;

namespace Certus.Audits.Features;

/// <summary>
/// The internal audit report (内部审核报告; manual §3.4, the "report" step of the audit life cycle) as Markdown: what was
/// audited against which clauses by whom, the conclusion, the checklist and every finding with its follow-up. The
/// printable page renders it; the API returns it as text/markdown.
/// </summary>
public sealed class AuditReport(Texts<Strings> text)
{
    public string Markdown(AuditView a)
    {
        string T(string key) => text[key];
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {T("Report.Heading")} {a.Number}: {Cell(a.Title)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"| {T("Report.Item")} | {T("Report.Value")} |\n|---|---|\n");
        void Row(string label, string? value) => md.Append(CultureInfo.InvariantCulture, $"| {label} | {Cell(value ?? "—")} |\n");
        Row(T("Audit.Programme"), a.Year.ToString(CultureInfo.InvariantCulture));
        Row(T("Audit.Status"), T($"Audit.Status.{a.Status}"));
        Row(T("Audit.Scope"), a.Scope);
        Row(T("Audit.Criteria"), string.Join(", ", a.Criteria));
        Row(T("Audit.Areas"), string.Join(", ", a.Areas.Select(x => $"{x.Name} ({x.OwnerName})")));
        Row(T("Audit.Auditors"), string.Join(", ", a.Auditors.Select(x => x.Role == "lead" ? $"{x.Name} ({T("Audit.Lead")})" : x.Name)));
        Row(T("Audit.Planned"), $"{a.PlannedStart} – {a.PlannedEnd}");
        Row(T("Audit.ReportedAt"), a.ReportedAt is { } r ? CalendarDates.Day(r) : null);
        Row(T("Audit.ClosedAt"), a.ClosedAt is { } c ? CalendarDates.Day(c) : null);
        var findings = a.Findings ?? [];
        foreach (var kind in Domain.AuditNames.FindingKinds)
        {
            Row(T($"Finding.Kind.{kind}"), findings.Count(f => f.Kind == kind).ToString(CultureInfo.InvariantCulture));
        }
        md.Append(CultureInfo.InvariantCulture, $"\n## {T("Audit.Summary")}\n\n{a.Summary ?? "—"}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"## {T("Audit.Checklist")}\n\n| # | {T("Checklist.Clause")} | {T("Checklist.QuestionLabel")} | {T("Checklist.Result")} | {T("Checklist.Notes")} |\n|---|---|---|---|---|\n");
        foreach (var item in a.Checklist ?? [])
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {item.Seq} | {item.Clause} | {Cell(item.Question)} | {(item.Result is { } res ? T($"Checklist.Result.{res}") : "—")} | {Cell(item.Notes ?? "")} |\n");
        }
        md.Append(CultureInfo.InvariantCulture, $"\n## {T("Audit.Findings")}\n\n");
        if (findings.Count == 0)
        {
            md.Append(T("Finding.None")).Append('\n');
        }
        else
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| # | {T("Finding.Kind")} | {T("Checklist.Clause")} | {T("Finding.Statement")} | {T("Finding.Evidence")} | {T("Finding.Nc")} | {T("Finding.Effectiveness")} | {T("Audit.Status")} |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var f in findings)
            {
                var effectiveness = f.EffectivenessResult is { } e ? $"{T($"Finding.Effectiveness.{e}")}: {f.EffectivenessNote}" : "—";
                md.Append(CultureInfo.InvariantCulture,
                    $"| {f.Number} | {T($"Finding.Kind.{f.Kind}")} | {f.Clause ?? "—"} | {Cell(f.Statement)} | {Cell(f.Evidence)} | {f.NcNumber ?? "—"} | {Cell(effectiveness)} | {T($"Finding.Status.{f.Status}")} |\n");
            }
        }
        return md.ToString();
    }

    /// <summary>
    /// The report as an XLSX workbook for those who keep audit records in spreadsheets: a summary sheet (audit, scope,
    /// criteria, auditors, dates, conclusion), the checklist and the findings with their follow-up.
    /// </summary>
    public byte[] Xlsx(AuditView a)
    {
        string T(string key) => text[key];
        var findings = a.Findings ?? [];
        List<IReadOnlyList<string?>> summary =
        [
            [T("Audit.Number"), a.Number],
            [T("Audit.TitleField"), a.Title],
            [T("Audit.Programme"), a.Year.ToString(CultureInfo.InvariantCulture)],
            [T("Audit.Status"), T($"Audit.Status.{a.Status}")],
            [T("Audit.Scope"), a.Scope],
            [T("Audit.Criteria"), string.Join(", ", a.Criteria)],
            [T("Audit.Areas"), string.Join(", ", a.Areas.Select(x => $"{x.Name} ({x.OwnerName})"))],
            [T("Audit.Auditors"), string.Join(", ", a.Auditors.Select(x => x.Role == "lead" ? $"{x.Name} ({T("Audit.Lead")})" : x.Name))],
            [T("Audit.PlannedStart"), a.PlannedStart],
            [T("Audit.PlannedEnd"), a.PlannedEnd],
            [T("Report.StartedAt"), a.StartedAt is { } s ? CalendarDates.Day(s) : null],
            [T("Audit.ReportedAt"), a.ReportedAt is { } r ? CalendarDates.Day(r) : null],
            [T("Audit.ClosedAt"), a.ClosedAt is { } c ? CalendarDates.Day(c) : null],
            [T("Audit.Summary"), a.Summary],
            .. Domain.AuditNames.FindingKinds.Select(kind => (IReadOnlyList<string?>)[T($"Finding.Kind.{kind}"), findings.Count(f => f.Kind == kind).ToString(CultureInfo.InvariantCulture)]),
        ];
        var checklist = (a.Checklist ?? []).Select(i => (IReadOnlyList<string?>)
            [i.Seq.ToString(CultureInfo.InvariantCulture), i.Clause, i.Question, i.Result is { } res ? T($"Checklist.Result.{res}") : null, i.Notes]).ToList();
        var findingRows = findings.Select(f => (IReadOnlyList<string?>)
        [
            f.Number.ToString(CultureInfo.InvariantCulture), T($"Finding.Kind.{f.Kind}"), f.Clause, f.Statement, f.Evidence, f.NcNumber,
            f.NcStatus is { } ns ? T($"Nc.Status.{ns}") : null, T($"Finding.Status.{f.Status}"),
            f.EffectivenessResult is { } e ? $"{T($"Finding.Effectiveness.{e}")}: {f.EffectivenessNote}" : null,
            f.EffectivenessCheckedAt is { } at ? $"{CalendarDates.Day(at)} {f.EffectivenessCheckedByName}" : null,
        ]).ToList();
        return ReportWorkbook.Write(
        [
            new ReportSheet(T("Report.Sheet.Summary"), [24, 90], [T("Report.Item"), T("Report.Value")], summary),
            new ReportSheet(T("Report.Sheet.Checklist"), [6, 14, 60, 16, 60],
                ["#", T("Checklist.Clause"), T("Checklist.QuestionLabel"), T("Checklist.Result"), T("Report.ChecklistEvidence")], checklist),
            new ReportSheet(T("Report.Sheet.Findings"), [6, 20, 14, 50, 50, 16, 16, 12, 40, 24],
            [
                "#", T("Finding.Kind"), T("Checklist.Clause"), T("Finding.Statement"), T("Finding.Evidence"), T("Finding.Nc"), T("Report.NcStatus"),
                T("Audit.Status"), T("Finding.Effectiveness"), T("Report.CheckedBy"),
            ], findingRows),
        ]);
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
