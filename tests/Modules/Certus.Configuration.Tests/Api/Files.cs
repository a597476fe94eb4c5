using System.Net.Http.Headers;
using System.Text;
using Certus.Testing;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Tests.Api;

/// <summary>CSV and XLSX files for import and audit tests, and reading the XLSX Certus sends back.</summary>
public static class Files
{
    public static byte[] Csv(params string[][] rows)
    {
        var builder = new StringBuilder();
        foreach (var row in rows)
        {
            builder.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    public static byte[] Xlsx(params (string Name, string[][] Rows)[] sheets) =>
        TableFiles.ToBytes(TableFormat.Xlsx, [.. sheets.Select(s => new TableOut(s.Name, s.Rows[0],
            s.Rows.Skip(1).Select(r => (IReadOnlyList<TableCell>)[.. r.Select(c => (TableCell)c)])))]);

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string fileName, byte[] content, IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), key);
        }
        return client.PostAsync(url, form);
    }

    /// <summary>Every sheet of a workbook as rows of cell texts (inline and shared strings, numbers).</summary>
    public static Dictionary<string, List<List<string>>> ReadXlsx(byte[] content)
    {
        using var stream = new MemoryStream(content);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
        var result = new Dictionary<string, List<List<string>>>(StringComparer.Ordinal);
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var rows = new List<List<string>>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = 0;
                    foreach (var c in cell.CellReference!.Value!.TakeWhile(char.IsLetter))
                    {
                        column = (column * 26) + (c - 'A' + 1);
                    }
                    while (cells.Count < column - 1)
                    {
                        cells.Add("");
                    }
                    cells.Add(cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText
                        : cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                        : cell.CellValue?.Text ?? "");
                }
                rows.Add(cells);
            }
            result[sheet.Name!.Value!] = rows;
        }
        return result;
    }
}

/// <summary>Certus on SQLite with a small upload limit, for the 413 test.</summary>
public sealed class SmallUploadsOnSqlite : SqliteCertus
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Configuration:MaxImportBytes"] = "200000",
    };
}

/// <summary>Certus on PostgreSQL with a small upload limit, for the 413 test.</summary>
public sealed class SmallUploadsOnPostgres : PostgresCertus
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Configuration:MaxImportBytes"] = "200000",
    };
}
