using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Certus.Competence.Features;

/// <summary>A cell to write: text, or a number a spreadsheet can sum.</summary>
public readonly record struct TableCell(string? Text, decimal? Number = null)
{
    public static implicit operator TableCell(string? text) => new(text);

    public static TableCell Of(decimal? number) => new(null, number);
}

/// <summary>A sheet to write.</summary>
public sealed record TableOut(string Name, IReadOnlyList<string> Headers, IEnumerable<IReadOnlyList<TableCell>> Rows);

/// <summary>
/// Writes the training record as CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it) or XLSX. The same writer the
/// configuration module uses for its exports; modules do not share code outside their contracts, so it lives here too.
/// </summary>
public static class TableFiles
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // Text a spreadsheet would run as a formula (CSV injection) is written with a leading apostrophe.
    private static bool RunsAsFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static string Escape(string value) => RunsAsFormula(value) ? "'" + value : value;

    public static async Task<byte[]> CsvAsync(TableOut sheet, CancellationToken ct)
    {
        using var output = new MemoryStream();
        await using (var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true }, true))
        {
            foreach (var header in sheet.Headers)
            {
                csv.WriteField(header);
            }
            await csv.EndRecordAsync(ct);
            foreach (var row in sheet.Rows)
            {
                foreach (var cell in row)
                {
                    csv.WriteField(cell.Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : Escape(cell.Text ?? ""));
                }
                await csv.EndRecordAsync(ct);
            }
            await csv.FlushAsync(ct);
        }
        return output.ToArray();
    }

    public static byte[] Xlsx(IReadOnlyList<TableOut> sheets)
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            // Style 1: bold, for the header row.
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
            var sheetList = new Sheets();
            uint sheetId = 1;
            foreach (var sheet in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                using (var writer = OpenXmlWriter.Create(part))
                {
                    writer.WriteStartElement(new Worksheet());
                    writer.WriteStartElement(new SheetData());
                    WriteRow(writer, 1, sheet.Headers.Select(h => (TableCell)h), bold: true);
                    uint number = 2;
                    foreach (var row in sheet.Rows)
                    {
                        WriteRow(writer, number++, row, bold: false);
                    }
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }
                // Sheet names: at most 31 characters, none of : \ / ? * [ ].
                var name = new string([.. sheet.Name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).Take(31)]);
                sheetList.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = name });
            }
            workbook.Workbook = new Workbook(sheetList);
            workbook.Workbook.Save();
        }
        return output.ToArray();
    }

    private static void WriteRow(OpenXmlWriter writer, uint number, IEnumerable<TableCell> cells, bool bold)
    {
        writer.WriteStartElement(new Row { RowIndex = number });
        var column = 0;
        foreach (var cell in cells)
        {
            var reference = ColumnName(column++) + number.ToString(CultureInfo.InvariantCulture);
            if (cell.Number is { } n)
            {
                writer.WriteElement(new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)) });
            }
            else if (!string.IsNullOrEmpty(cell.Text))
            {
                var c = new Cell(new InlineString(new Text(cell.Text) { Space = SpaceProcessingModeValues.Preserve }))
                {
                    CellReference = reference, DataType = CellValues.InlineString,
                };
                if (bold)
                {
                    c.StyleIndex = 1;
                }
                writer.WriteElement(c);
            }
        }
        writer.WriteEndElement();
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
