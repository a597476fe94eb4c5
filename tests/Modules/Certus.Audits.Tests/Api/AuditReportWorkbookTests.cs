using System.Net;
using System.Net.Http.Json;
using Certus.Testing;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Shouldly;
using Xunit;

namespace Certus.Audits.Tests.Api;

/// <summary>The internal audit report as an XLSX workbook (ISO/IEC 20000-1:2018 9.2.2 d): summary, checklist, findings.</summary>
public abstract class AuditReportWorkbookTests(CertusFixture host)
{
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"点击查看\")";

    /// <summary>A sheet's cells by reference (A1, B2...), each with its text and the cell itself.</summary>
    private static Dictionary<string, Cell> Cells(WorkbookPart workbook, string sheetName)
    {
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        return part.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!, c => c, StringComparer.Ordinal);
    }

    private static string Text(Dictionary<string, Cell> cells, string reference) => cells[reference].InlineString!.InnerText;

    /// <summary>The row number (as text) of the first cell in column A whose text is <paramref name="label"/>.</summary>
    private static string RowOf(Dictionary<string, Cell> cells, string label) =>
        cells.Single(c => c.Key.StartsWith('A') && c.Value.InlineString?.InnerText == label).Key[1..];

    [Fact]
    public async Task The_report_downloads_as_a_workbook_with_summary_checklist_and_findings_and_formulas_stay_text()
    {
        var world = await AuditWorld.ForAsync(host);
        var (audit, _, _) = await world.PlannedAuditAsync(["8.6.1"]);
        var id = audit.GetProperty("id").GetGuid();
        await world.MoveAsync(id, audit.GetProperty("version").GetInt32(), new { move = "start" });
        var finding = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings", new
        {
            kind = "minor", clause = "8.6.1", statement = Formula, evidence = "@SUM(A1:A9) INC-000101 关闭前未确认",
        }), HttpStatusCode.Created);
        var started = await world.GetAsync(id);
        var item = started.GetProperty("checklist")[0];
        await AuditWorld.ReadAsync(await world.Admin.PatchIfMatchAsync($"/api/v1/internal-audits/{id}/checklist/{item.GetProperty("id").GetGuid()}",
            new { question = "-事件关闭前是否经客户确认？", result = "nonconforming", notes = "+86 抽查 10 条记录，1 条未确认" }, 1), HttpStatusCode.OK);
        await world.MoveAsync(id, started.GetProperty("version").GetInt32(), new { move = "report", summary = "一项轻微不符合 / one minor nonconformity" });

        var response = await world.Admin.GetAsync($"/api/v1/internal-audits/{id}/report?format=xlsx");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe($"{audit.GetProperty("number").GetString()}.xlsx");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(["Summary", "Checklist", "Findings"]);

        var summary = Cells(workbook, "Summary");
        Text(summary, "B" + RowOf(summary, "Number")).ShouldBe(audit.GetProperty("number").GetString());
        Text(summary, "B" + RowOf(summary, "Scope")).ShouldBe("服务台、事件记录与关闭 / service desk, incident records and closure");
        Text(summary, "B" + RowOf(summary, "Criteria (clauses)")).ShouldBe("2018:8.6.1");
        Text(summary, "B" + RowOf(summary, "Auditors")).ShouldContain("lead auditor");
        Text(summary, "B" + RowOf(summary, "Planned start")).ShouldBe("2026-03-02");
        Text(summary, "B" + RowOf(summary, "Conclusion")).ShouldBe("一项轻微不符合 / one minor nonconformity");
        Text(summary, "B" + RowOf(summary, "Minor nonconformity")).ShouldBe("1");

        var checklist = Cells(workbook, "Checklist");
        Text(checklist, "B1").ShouldBe("Clause");
        Text(checklist, "B2").ShouldBe("2018:8.6.1");
        Text(checklist, "C2").ShouldBe("-事件关闭前是否经客户确认？");
        Text(checklist, "D2").ShouldBe("Nonconforming");
        Text(checklist, "E2").ShouldBe("+86 抽查 10 条记录，1 条未确认");

        var findings = Cells(workbook, "Findings");
        Text(findings, "A2").ShouldBe("1");
        Text(findings, "B2").ShouldBe("Minor nonconformity");
        Text(findings, "C2").ShouldBe("2018:8.6.1");
        Text(findings, "E2").ShouldBe("@SUM(A1:A9) INC-000101 关闭前未确认");
        Text(findings, "F2").ShouldBe(finding.GetProperty("ncNumber").GetString());
        Text(findings, "H2").ShouldBe("Open");

        // Text that looks like a formula is text: an inline string, no formula, and marked quote-prefixed against later edits.
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        foreach (var cell in new[] { findings["D2"], findings["E2"], checklist["C2"], checklist["E2"] })
        {
            cell.DataType!.Value.ShouldBe(CellValues.InlineString);
            cell.CellFormula.ShouldBeNull();
            cell.CellValue.ShouldBeNull();
            formats[(int)cell.StyleIndex!.Value].QuotePrefix!.Value.ShouldBeTrue();
        }
        Text(findings, "D2").ShouldBe(Formula);
        (formats[(int)(findings["C2"].StyleIndex?.Value ?? 0)].QuotePrefix?.Value ?? false).ShouldBeFalse();
        workbook.Workbook.Descendants<DefinedName>().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_workbook_speaks_the_callers_language_and_customers_are_refused_it()
    {
        var world = await AuditWorld.ForAsync(host);
        var (audit, _, _) = await world.PlannedAuditAsync();
        var id = audit.GetProperty("id").GetGuid();
        using var chinese = await host.AdminAsync("zh-CN");

        var response = await chinese.GetAsync($"/api/v1/internal-audits/{id}/report?format=xlsx");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false))
        {
            document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(["概要", "检查表", "审核发现"]);
            var summary = Cells(document.WorkbookPart, "概要");
            Text(summary, "B" + RowOf(summary, "状态")).ShouldBe("已策划");
        }

        var customer = await world.Build.UserAsync(await world.Build.OrganisationAsync(), "customer-user");
        using var client = await world.Build.ClientAsync(customer);
        (await client.GetAsync($"/api/v1/internal-audits/{id}/report?format=xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var staff = await world.StaffAsync();
        using var technician = await world.Build.ClientAsync(staff);
        (await technician.GetAsync($"/api/v1/internal-audits/{id}/report?format=xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class AuditReportWorkbookTestsOnSqlite(SqliteCertus host) : AuditReportWorkbookTests(host), IClassFixture<SqliteCertus>;

public sealed class AuditReportWorkbookTestsOnPostgres(PostgresCertus host) : AuditReportWorkbookTests(host), IClassFixture<PostgresCertus>;
