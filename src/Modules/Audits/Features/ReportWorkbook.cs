using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Certus.Audits.Features;

/// <summary>A sheet of a report workbook: its name, column widths (in characters), header row and rows of text.</summary>
internal sealed record ReportSheet(string Name, IReadOnlyList<double> Widths, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>
/// Writes a small report as an XLSX workbook with DocumentFormat.OpenXml, the way the configuration module writes its
/// exports: every value an inline string, never a formula. Text that a spreadsheet would take for a formula when someone
/// edits the cell (it starts with = + - @, a tab or a return) is also marked quote-prefixed, so it stays text (formula
/// injection, CWE-1236).
/// </summary>
internal static class ReportWorkbook
{
    private const uint HeaderStyle = 1;
    private const uint TextStyle = 2;
    private const uint QuotedTextStyle = 3;

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static bool LooksLikeFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static byte[] Write(IReadOnlyList<ReportSheet> sheets)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Top }) { FontId = 1, ApplyFont = true, ApplyAlignment = true },
                    new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true },
                    new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true, QuotePrefix = true })
                { Count = 4 });
            var list = new Sheets();
            uint sheetId = 1;
            foreach (var sheet in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var columns = new Columns();
                for (var i = 0; i < sheet.Widths.Count; i++)
                {
                    columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = sheet.Widths[i], CustomWidth = true });
                }
                var data = new SheetData();
                data.Append(Row(1, sheet.Headers, HeaderStyle));
                uint number = 2;
                foreach (var row in sheet.Rows)
                {
                    data.Append(Row(number++, row, TextStyle));
                }
                part.Worksheet = new Worksheet(
                    new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                    { WorkbookViewId = 0 }),
                    columns, data);
                list.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = SheetName(sheet.Name) });
            }
            workbook.Workbook = new Workbook(list);
            workbook.Workbook.Save();
        }
        return buffer.ToArray();
    }

    private static Row Row(uint number, IEnumerable<string?> cells, uint style)
    {
        var row = new Row { RowIndex = number };
        var column = 0;
        foreach (var value in cells)
        {
            var reference = ColumnName(column++) + number.ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            row.Append(new Cell(new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve }))
            {
                CellReference = reference,
                DataType = CellValues.InlineString,
                StyleIndex = style == TextStyle && LooksLikeFormula(value) ? QuotedTextStyle : style,
            });
        }
        return row;
    }

    /// <summary>Excel limits a sheet name to 31 characters without : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = string.Concat(name.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? ' ' : c)).Trim();
        return clean.Length <= 31 ? clean : clean[..31];
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + ((index - 1) % 26)) + name;
        }
        return name;
    }
}
