using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Api;

/// <summary>CMDB import and export (CSV, XLSX) over REST.</summary>
internal static class TransferApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var cis = endpoints.MapGroup("/api/v1/cis").WithTags("Configuration");
        cis.MapPost("/import", ImportAsync)
            .RequirePermission(ConfigurationPermissions.Manage)
            // Bearer-token clients upload with multipart/form-data; the import page posts through its own antiforgery-checked form.
            .DisableAntiforgery()
            .WithSummary("Import CIs from CSV or XLSX (multipart 'file', optional 'relationships'; 'changeRef', 'reason'); ?dryRun=true reports every row's errors and writes nothing; 422 with the same report when any row is wrong; 413 too large; 415 not CSV/XLSX.");
        cis.MapGet("/export", ExportAsync)
            .RequirePermission(ConfigurationPermissions.Audit)
            .WithSummary("Export CIs (?format=csv|xlsx, class, status, headers=en|zh) in exactly the import format; XLSX adds the relationships sheet.");
    }

    private static async Task<IResult> ImportAsync(HttpContext http, bool? dryRun, ImportCis import, IOptions<ConfigurationOptions> options, CancellationToken ct)
    {
        if (await ReadUploadAsync(http, options.Value, "file", ct) is not { } upload)
        {
            return Refusal(http);
        }
        var form = http.Request.Form;
        var relationships = form.Files.GetFile("relationships") is { } rel ? await CopyAsync(rel, ct) : null;
        var outcome = await import.HandleAsync(upload, relationships, dryRun ?? false, form["changeRef"], form["reason"], ct);
        return Report(http, outcome, dryRun ?? false);
    }

    /// <summary>200 with the report; 422 with the report's rows as field errors (and the report itself) when a real import was refused.</summary>
    internal static IResult Report(HttpContext http, Outcome<ImportReport> outcome, bool dryRun)
    {
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(http, outcome.Failure!);
        }
        var report = outcome.Value!;
        if (dryRun || report.Errors.Count == 0)
        {
            return TypedResults.Ok(report);
        }
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
        var problem = new HttpValidationProblemDetails(report.Errors.GroupBy(e => $"{e.Sheet}[{e.Row}].{e.Field}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity, Title = text["Problem.Validation"],
        };
        problem.Extensions["report"] = report;
        return TypedResults.Problem(problem);
    }

    private const string UploadRefusal = "certus.cmdb.upload-refusal";

    /// <summary>Why <see cref="ReadUploadAsync"/> returned no file.</summary>
    internal static IResult Refusal(HttpContext http) => http.Items[UploadRefusal] as IResult ?? TypedResults.BadRequest();

    /// <summary>
    /// The uploaded file, or null with the refusal in HttpContext.Items: 413 beyond the configured size (checked on
    /// Content-Length before the body is read), 415 for anything but CSV or XLSX, 400 without a file.
    /// </summary>
    internal static async Task<UploadedFile?> ReadUploadAsync(HttpContext http, ConfigurationOptions options, string field, CancellationToken ct)
    {
        var module = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
        var limit = options.MaxImportBytes;
        // Room for the multipart framing and the other fields.
        var bodyLimit = limit + (1024 * 1024);
        if (http.Request.ContentLength is { } length && length > bodyLimit)
        {
            http.Items[UploadRefusal] = TooLarge(module, limit);
            return null;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = bodyLimit;
        }
        if (!http.Request.HasFormContentType)
        {
            http.Items[UploadRefusal] = TypedResults.Problem(module["Import.Type"], statusCode: StatusCodes.Status415UnsupportedMediaType, title: module["Import.Type"]);
            return null;
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = bodyLimit }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            http.Items[UploadRefusal] = TooLarge(module, limit);
            return null;
        }
        if (form.Files.GetFile(field) is not { } file)
        {
            var kernel = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
            http.Items[UploadRefusal] = TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [kernel["Validation.Required"]] }, title: kernel["Problem.Validation"]);
            return null;
        }
        if (file.Length > limit)
        {
            http.Items[UploadRefusal] = TooLarge(module, limit);
            return null;
        }
        if (TableFiles.FormatOf(file.FileName) is null)
        {
            http.Items[UploadRefusal] = TypedResults.Problem(module["Import.Type"], statusCode: StatusCodes.Status415UnsupportedMediaType, title: module["Import.Type"]);
            return null;
        }
        return await CopyAsync(file, ct);
    }

    private static ProblemHttpResult TooLarge(IStringLocalizer module, long limit)
    {
        var message = module["Import.TooLarge", (limit / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.CurrentCulture)];
        return TypedResults.Problem(message, statusCode: StatusCodes.Status413PayloadTooLarge, title: message);
    }

    internal static async Task<UploadedFile> CopyAsync(IFormFile file, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return new UploadedFile(file.FileName, buffer.ToArray());
    }

    private static async Task<IResult> ExportAsync(HttpContext http, string? format, string? @class, string? status, string? headers, ExportCis export, CancellationToken ct)
    {
        var tableFormat = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase) ? TableFormat.Xlsx : TableFormat.Csv;
        var chinese = Chinese(headers);
        var sheets = await export.HandleAsync(new ExportCis.Query(@class, status), chinese, ct);
        var bytes = TableFiles.ToBytes(tableFormat, sheets);
        return TypedResults.File(bytes, TableFiles.ContentType(tableFormat), $"cis.{(tableFormat == TableFormat.Csv ? "csv" : "xlsx")}");
    }

    /// <summary>Chinese headers for <c>headers=zh</c>, English for <c>headers=en</c>, else the caller's language.</summary>
    internal static bool Chinese(string? headers) => headers?.Trim().ToLowerInvariant() switch
    {
        "zh" or "zh-cn" => true,
        "en" or "en-us" => false,
        _ => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal),
    };
}
