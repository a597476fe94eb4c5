using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Features;

/// <summary>
/// The audit pack for the certification auditor: per clause, what it asks (in Certus's words), the verdict and the
/// evidence; as a self-contained HTML report, printed to PDF by headless Chromium (architecture.md), and as a ZIP of
/// the records behind it (JSON and CSV per evidence).
/// </summary>
public sealed class AuditPack(Readiness readiness, GapAnalysis gap, IStringLocalizer<Strings> text, IConfiguration configuration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where Chromium is: <c>Certus:Pdf:Chromium</c>, by default the Debian package's <c>/usr/bin/chromium</c>.</summary>
    public string ChromiumPath => configuration["Certus:Pdf:Chromium"] ?? "/usr/bin/chromium";

    public async Task<string> HtmlAsync(string edition, CancellationToken ct = default) => Html(await readiness.CurrentAsync(edition, ct));

    public string Html(ConformityReport report)
    {
        var h = new StringBuilder();
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var lang = CultureInfo.CurrentUICulture.Name;
        h.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{E(lang)}\"><head><meta charset=\"utf-8\"><title>{E(text["Pack.Title"])} {E(report.Title)}</title><style>")
         .Append("body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;font-size:10pt;color:#1d273b;margin:24px}h1{font-size:18pt}h2{font-size:12pt;margin:18px 0 4px;border-bottom:1px solid #ccd}")
         .Append("table{border-collapse:collapse;width:100%;margin:4px 0}td,th{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}.v{font-weight:bold;padding:1px 6px;border-radius:3px}")
         .Append(".conforming{background:#d9f2e3}.gap{background:#fadcdc}.no-evidence{background:#eee}.muted{color:#667}section{page-break-inside:avoid}</style></head><body>");
        h.Append(CultureInfo.InvariantCulture, $"<h1>{E(text["Pack.Title"])} · {E(report.Title)}</h1>");
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{E(text["Pack.Generated", report.GeneratedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)])}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p>{E(text["Pack.Summary", report.Leaves.Conforming, report.Leaves.Gap, report.Leaves.NoEvidence, report.Leaves.Total])}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{E(text["Pack.Disclaimer"])}</p>");
        foreach (var c in report.Clauses)
        {
            var level = Math.Min(c.Depth + 1, 4);
            h.Append("<section>");
            h.Append(CultureInfo.InvariantCulture, $"<h{level} id=\"c{E(c.Clause)}\">{E(c.Clause)} {E(c.Title)} <span class=\"v {E(c.Verdict)}\">{E(text[$"Verdict.{c.Verdict}"])}</span></h{level}>");
            h.Append(CultureInfo.InvariantCulture, $"<p>{E(c.Statement)}</p>");
            var ev = c.Evidence;
            if (ev.Checks.Count > 0)
            {
                h.Append(CultureInfo.InvariantCulture, $"<table><tr><th>{E(text["Pack.Check"])}</th><th>{E(text["Pack.Verdict"])}</th><th>{E(text["Pack.Figures"])}</th><th>{E(text["Pack.Records"])}</th></tr>");
                foreach (var k in ev.Checks)
                {
                    h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(k.Title)}<br><span class=\"muted\">{E(k.Summary)}</span></td><td><span class=\"v {E(k.Verdict)}\">{E(text[$"Verdict.{k.Verdict}"])}</span></td><td>")
                     .AppendJoin("<br>", k.Figures.Select(f => $"{E(f.Label)}: {f.Value.ToString("0.##", CultureInfo.InvariantCulture)}{E(f.Unit)}"))
                     .Append("</td><td>").AppendJoin("<br>", k.Records.Take(20).Select(r => $"{E(r.Reference)} {E(r.Title)}")).Append("</td></tr>");
                }
                h.Append("</table>");
            }
            if (ev.Documents.Count > 0)
            {
                h.Append(CultureInfo.InvariantCulture, $"<table><tr><th>{E(text["Pack.Document"])}</th><th>{E(text["Pack.Version"])}</th><th>{E(text["Pack.ReviewDue"])}</th></tr>");
                foreach (var d in ev.Documents)
                {
                    h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(d.Code)} {E(d.Title)} ({E(d.Tier)})</td><td>{E(d.Effective ? d.Version : text["Pack.NotEffective"])}</td><td>{E(d.ReviewDue ?? "—")}</td></tr>");
                }
                h.Append("</table>");
            }
            if (ev.Findings.Count > 0)
            {
                h.Append("<ul>");
                foreach (var f in ev.Findings)
                {
                    h.Append(CultureInfo.InvariantCulture, $"<li>{E(text["Pack.Finding", f.Number, f.Title])} ({E(text[$"FindingStatus.{f.Status}"])})</li>");
                }
                h.Append("</ul>");
            }
            h.Append("</section>");
        }
        h.Append("</body></html>");
        return h.ToString();
    }

    /// <summary>The records behind the pack: the whole view as JSON, one CSV of clauses, one JSON and CSV per check, documents and GAP work.</summary>
    public async Task<byte[]> ZipAsync(string edition, CancellationToken ct = default)
    {
        var report = await readiness.CurrentAsync(edition, ct);
        var findings = await gap.FindingsAsync(ct);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string content)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                writer.Write(content);
            }
            Add("conformity.json", JsonSerializer.Serialize(report, Json));
            Add("audit-pack.html", Html(report));
            Add("clauses.csv", Csv(["clause", "title", "verdict", "coverage", "statement", "maps"],
                report.Clauses.Select(c => new[] { c.Clause, c.Title, c.Verdict, c.Coverage.ToString(CultureInfo.InvariantCulture), c.Statement, string.Join(" ", c.Maps) })));
            foreach (var check in report.Clauses.SelectMany(c => c.Evidence.Checks).DistinctBy(k => k.Key, StringComparer.Ordinal))
            {
                Add($"checks/{check.Key}.json", JsonSerializer.Serialize(check, Json));
                Add($"checks/{check.Key}.csv", Csv(["reference", "title", "path"], check.Records.Select(r => new[] { r.Reference, r.Title, r.Path })));
            }
            Add("documents.csv", Csv(["code", "title", "tier", "effective", "version", "reviewDue", "clause"],
                report.Clauses.SelectMany(c => c.Evidence.Documents.Select(d => new[] { d.Code, d.Title, d.Tier, d.Effective ? "yes" : "no", d.Version ?? "", d.ReviewDue ?? "", c.Clause }))));
            Add("gap-findings.csv", Csv(["number", "edition", "clause", "title", "status", "closedAt", "closeReason"],
                findings.Select(f => new[] { f.Number.ToString(CultureInfo.InvariantCulture), f.Edition, f.Clause, f.Title, f.Status,
                    f.ClosedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "", f.CloseReason ?? "" })));
            Add("gap-actions.csv", Csv(["finding", "title", "owner", "dueOn", "status", "doneAt"],
                findings.SelectMany(f => f.Actions.Select(a => new[] { f.Number.ToString(CultureInfo.InvariantCulture), a.Title, a.OwnerName ?? "", a.DueOn ?? "", a.Status,
                    a.DoneAt?.ToString("O", CultureInfo.InvariantCulture) ?? "" }))));
        }
        return buffer.ToArray();
    }

    /// <summary>The pack as PDF, or null when Chromium is not installed (the caller says so plainly).</summary>
    public async Task<byte[]?> PdfAsync(string edition, CancellationToken ct = default)
    {
        if (!File.Exists(ChromiumPath))
        {
            return null;
        }
        var html = await HtmlAsync(edition, ct);
        var folder = Directory.CreateTempSubdirectory("certus-pack-");
        try
        {
            var source = Path.Combine(folder.FullName, "pack.html");
            var target = Path.Combine(folder.FullName, "pack.pdf");
            await File.WriteAllTextAsync(source, html, ct);
            var start = new ProcessStartInfo(ChromiumPath)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}",
                $"--print-to-pdf={target}", new Uri(source).AbsoluteUri })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            var drainOut = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var drainErr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            await Task.WhenAll(drainOut, drainErr);
            return File.Exists(target) ? await File.ReadAllBytesAsync(target, ct) : throw new InvalidOperationException("Chromium printed nothing: " + await drainErr);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>CSV with every cell quoted; a cell that a spreadsheet would run as a formula goes out as text.</summary>
    internal static string Csv(string[] header, IEnumerable<string[]> rows)
    {
        var b = new StringBuilder();
        static string Cell(string v)
        {
            if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                v = "'" + v;
            }
            return "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }
        b.AppendJoin(',', header.Select(Cell)).Append("\r\n");
        foreach (var row in rows)
        {
            b.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }
        return b.ToString();
    }
}
