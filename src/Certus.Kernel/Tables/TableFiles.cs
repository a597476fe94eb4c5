using System.Globalization;
using System.Text;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Certus.Kernel.Tables;

/// <summary>One row of a sheet, numbered as the file numbers it (the header is row 1), cells in header order.</summary>
public sealed record TableRow(int Number, IReadOnlyList<string> Cells);

/// <summary>A sheet (or a whole CSV file): its headers and its non-blank rows.</summary>
public sealed record TableSheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<TableRow> Rows);

/// <summary>A cell to write: text, or a number a spreadsheet can sum.</summary>
public readonly record struct TableCell(string? Text, decimal? Number = null)
{
    public static implicit operator TableCell(string? text) => new(text);

    public static TableCell Of(decimal? number) => new(null, number);
}

/// <summary>A sheet to write.</summary>
public sealed record TableOut(string Name, IReadOnlyList<string> Headers, IEnumerable<IReadOnlyList<TableCell>> Rows);

public enum TableFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Reads and writes the CSV and XLSX files of imports, exports and reports for every module. CSV may be UTF-8 (with or without
/// BOM) or GB18030, as Excel saves it on Chinese Windows; XLSX is read and written as a stream (OpenXml SAX), so
/// 100,000 rows stay cheap.
/// </summary>
public static class TableFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The format the file name says, or null for anything else (refused with 415).</summary>
    public static TableFormat? FormatOf(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        ".csv" => TableFormat.Csv,
        ".xlsx" => TableFormat.Xlsx,
        _ => null,
    };

    public static string ContentType(TableFormat format) => format == TableFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The sheets of the file; a CSV is one sheet named <paramref name="csvSheet"/>. Throws <see cref="InvalidDataException"/> for unreadable content.</summary>
    public static IReadOnlyList<TableSheet> Read(TableFormat format, byte[] content, string csvSheet) => format switch
    {
        TableFormat.Csv => [ReadCsv(content, csvSheet)],
        TableFormat.Xlsx => ReadXlsx(content),
    };

    // Text a spreadsheet would run as a formula when it opens the CSV (CSV injection): such cells are written with a
    // leading apostrophe, which Excel and WPS show as text, and the apostrophe is taken off again on import, so an
    // export still imports unchanged.
    private static bool RunsAsFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Escape(string value) =>
        RunsAsFormula(value) || (value.StartsWith('\'') && RunsAsFormula(value.TrimStart('\''))) ? "'" + value : value;

    public static string Unescape(string value) =>
        value.StartsWith('\'') && RunsAsFormula(value.TrimStart('\'')) ? value[1..] : value;

    private static TableSheet ReadCsv(byte[] content, string name)
    {
        string textContent;
        try
        {
            textContent = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            textContent = Encoding.GetEncoding("GB18030").GetString(content);
        }
        if (textContent.Length > 0 && textContent[0] == '\uFEFF')
        {
            textContent = textContent[1..];
        }
        var options = new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = false };
        var rows = new List<TableRow>();
        IReadOnlyList<string> headers;
        try
        {
            using var reader = CsvReader.FromText(textContent, options);
            reader.ReadHeader();
            headers = [.. reader.Headers.Select(h => h.Trim())];
            while (reader.Read())
            {
                var cells = new string[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = Unescape(reader.GetString(i));
                }
                if (cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                rows.Add(new TableRow((int)reader.LineNumber, cells));
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException(e.Message, e);
        }
        return new TableSheet(name, headers, rows);
    }

    private static List<TableSheet> ReadXlsx(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart ?? throw new InvalidDataException("The workbook has no sheets.");
            var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            var sheets = new List<TableSheet>();
            foreach (var sheet in workbook.Workbook.Sheets?.Elements<Sheet>() ?? [])
            {
                if (sheet.Id?.Value is not { } rel || workbook.GetPartById(rel) is not WorksheetPart part)
                {
                    continue;
                }
                sheets.Add(ReadSheet(sheet.Name?.Value ?? "", part, shared));
            }
            return sheets;
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or System.Xml.XmlException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static TableSheet ReadSheet(string name, WorksheetPart part, string[] shared)
    {
        IReadOnlyList<string>? headers = null;
        var rows = new List<TableRow>();
        using var reader = OpenXmlReader.Create(part);
        var implicitRow = 0;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
            {
                continue;
            }
            var row = (Row)reader.LoadCurrentElement()!;
            var number = row.RowIndex?.Value is { } r ? (int)r : implicitRow + 1;
            implicitRow = number;
            var cells = new List<string>();
            var next = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : next;
                while (cells.Count < column)
                {
                    cells.Add("");
                }
                cells.Add(CellText(cell, shared));
                next = column + 1;
            }
            if (headers is null)
            {
                headers = [.. cells.Select(h => h.Trim())];
                continue;
            }
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            rows.Add(new TableRow(number, cells));
        }
        return new TableSheet(name, headers ?? [], rows);
    }

    private static string CellText(Cell cell, string[] shared)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }
        var raw = cell.CellValue?.Text ?? "";
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length ? shared[i] : "";
        }
        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "true" : "false";
        }
        return raw;
    }

    /// <summary>Zero-based column of a reference such as <c>AB12</c>.</summary>
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }
            index = (index * 26) + (c - 'A' + 1);
        }
        return index - 1;
    }

    public static async Task WriteAsync(TableFormat format, Stream output, IReadOnlyList<TableOut> sheets, CancellationToken ct)
    {
        if (format == TableFormat.Csv)
        {
            await WriteCsvAsync(output, sheets[0], ct);
        }
        else
        {
            // OpenXml writes synchronously; a buffer keeps Kestrel's no-synchronous-IO rule.
            using var buffer = new MemoryStream();
            WriteXlsx(buffer, sheets);
            buffer.Position = 0;
            await buffer.CopyToAsync(output, ct);
        }
    }

    public static byte[] ToBytes(TableFormat format, IReadOnlyList<TableOut> sheets)
    {
        using var buffer = new MemoryStream();
        WriteAsync(format, buffer, sheets, CancellationToken.None).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    private static async Task WriteCsvAsync(Stream output, TableOut sheet, CancellationToken ct)
    {
        // UTF-8 with BOM: Excel on Chinese Windows then opens the Chinese text correctly.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true }, true);
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

    private static void WriteXlsx(Stream output, IReadOnlyList<TableOut> sheets)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
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
            sheetList.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = sheet.Name });
        }
        workbook.Workbook = new Workbook(sheetList);
        workbook.Workbook.Save();
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
                var c = new Cell(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(cell.Text) { Space = SpaceProcessingModeValues.Preserve }))
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
