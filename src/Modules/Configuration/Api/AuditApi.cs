using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Api;

/// <summary>Configuration audits and the configuration item report over REST.</summary>
internal static class AuditApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var audits = endpoints.MapGroup("/api/v1/configuration-audits").WithTags("Configuration").RequirePermission(ConfigurationPermissions.Audit);
        audits.MapGet("", async (ConfigurationAudits a, CancellationToken ct) => TypedResults.Ok(await a.ListAsync(ct)))
            .WithSummary("Configuration audits, newest first, with their counts and open findings.");
        audits.MapGet("/{id:guid}", async (Guid id, ConfigurationAudits a, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await a.GetAsync(id, ct)))
            .WithSummary("One configuration audit with its findings, with its ETag.");
        audits.MapPost("", CreateAsync)
            .DisableAntiforgery()
            .WithSummary("Audit the CMDB against an observed inventory (multipart: file in the import format, title, scopeClasses (repeated or comma-separated), scopeLocation): missing, unexpected and differing CIs become findings.");
        audits.MapPatch("/{id:guid}/findings/{findingId:guid}", (Guid id, Guid findingId, ConfigurationAudits.ActionRequest request, ConfigurationAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is { } found && found.Findings!.Any(f => f.Id == findingId),
                    version => a.SetActionAsync(id, findingId, version, request, ct)))
            .WithSummary("Record a finding's corrective action: actionText, actionOwnerId, actionDue (yyyy-MM-dd); send the finding's If-Match.");
        audits.MapPost("/{id:guid}/findings/{findingId:guid}/resolve", (Guid id, Guid findingId, ConfigurationAudits.ResolveRequest request, ConfigurationAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is { } found && found.Findings!.Any(f => f.Id == findingId),
                    version => a.ResolveAsync(id, findingId, version, request, ct)))
            .WithSummary("Record the result of the corrective action and resolve the finding; send the finding's If-Match.");
        audits.MapPost("/{id:guid}/close", (Guid id, ConfigurationAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null, version => a.CloseAsync(id, version, ct)))
            .WithSummary("Close the audit; 409 naming the findings still open; send If-Match.");
        audits.MapGet("/{id:guid}/report", async (Guid id, string? format, ConfigurationAudits a, HttpContext http, CancellationToken ct) =>
            {
                if (await a.GetAsync(id, ct) is not { } found)
                {
                    return ApiResults.NotFound(http);
                }
                if (!string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
                {
                    return TypedResults.Ok(found);
                }
                return TypedResults.File(TableFiles.ToBytes(TableFormat.Xlsx, a.Report(found)), TableFiles.ContentType(TableFormat.Xlsx), $"{found.Number}.xlsx");
            })
            .WithSummary("The audit report: ?format=xlsx for the workbook (summary and findings with actions and results), JSON otherwise.");

        endpoints.MapGet("/api/v1/reports/configuration-items", async (string? format, string? @class, string? service, ConfigurationReport report, CancellationToken ct) =>
            {
                var result = await report.HandleAsync(@class, service, ct);
                return string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase)
                    ? TypedResults.File(TableFiles.ToBytes(TableFormat.Xlsx, report.Sheets(result)), TableFiles.ContentType(TableFormat.Xlsx), "configuration-items.xlsx")
                    : (IResult)TypedResults.Ok(result);
            })
            .WithTags("Configuration").RequirePermission(ConfigurationPermissions.Audit)
            .WithSummary("The configuration item report (配置项管理报告): latest version, location, dependencies both ways and version history per CI; ?format=xlsx, class, service.");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ConfigurationAudits audits, IOptions<ConfigurationOptions> options, CancellationToken ct)
    {
        if (await TransferApi.ReadUploadAsync(http, options.Value, "file", ct) is not { } upload)
        {
            return TransferApi.Refusal(http);
        }
        var form = http.Request.Form;
        var classes = form["scopeClasses"].SelectMany(v => (v ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var outcome = await audits.CreateAsync(new ConfigurationAudits.Request(form["title"], classes, form["scopeLocation"]), upload, ct);
        return ApiResults.Created(http, outcome, a => $"/api/v1/configuration-audits/{a.Id}");
    }
}
