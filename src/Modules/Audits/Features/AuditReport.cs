using System.Globalization;
using System.Text;
using Certus.Kernel.Errors;

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
        Row(T("Audit.ReportedAt"), a.ReportedAt is { } r ? Dates.Day(r) : null);
        Row(T("Audit.ClosedAt"), a.ClosedAt is { } c ? Dates.Day(c) : null);
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

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
