using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Api;

/// <summary>Live conformity, readiness, the GAP analysis, the roadmap and the audit pack over REST.</summary>
internal static class ComplianceApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var conformity = endpoints.MapGroup("/api/v1/conformity").WithTags("Compliance").RequirePermission(CompliancePermissions.Read);
        conformity.MapGet("", async (string? edition, Readiness r, HttpContext http, CancellationToken ct) =>
                Edition(http, edition) is { } e ? (IResult)TypedResults.Ok(await r.CurrentAsync(e, ct)) : BadEdition(http))
            .WithSummary("Every clause of the edition (?edition=2018|2005, default 2018) with clause, title, statement, verdict (conforming, gap, no-evidence; rolled up from sub-clauses) and evidence: documents, automatic checks with figures and records, GAP findings.");
        conformity.MapGet("/readiness", async (string? edition, int? days, Readiness r, HttpContext http, CancellationToken ct) =>
                Edition(http, edition) is { } e ? (IResult)TypedResults.Ok(await r.FiguresAsync(e, Math.Clamp(days ?? 180, 1, 1000), ct)) : BadEdition(http))
            .WithSummary("Readiness figures: leaf clauses by verdict, documents in force, open GAP findings and actions, roadmap progress, and the daily trend (?days=180).");
        conformity.MapGet("/audit-pack", AuditPackAsync)
            .WithSummary("The audit pack for the certification auditor: ?format=pdf (printed by headless Chromium; 503 when it is not installed), zip (the records as JSON and CSV) or html.");

        var gap = endpoints.MapGroup("/api/v1/gap-analysis").WithTags("Compliance").RequirePermission(CompliancePermissions.Read);
        gap.MapGet("/findings", async (GapAnalysis g, CancellationToken ct) => TypedResults.Ok(await g.FindingsAsync(ct)))
            .WithSummary("The GAP analysis findings, with their actions.");
        gap.MapGet("/candidates", async (string? edition, Conformity c, HttpContext http, CancellationToken ct) =>
                Edition(http, edition) is { } e ? (IResult)TypedResults.Ok(Conformity.Candidates(await c.HandleAsync(e, ct))) : BadEdition(http))
            .WithSummary("The clauses of the edition (?edition=2018|2005, default 2018) to consider as findings: leaf clauses that are a gap or have no evidence, with their evidence.");
        gap.MapPost("/findings", async (GapAnalysis.FindingRequest request, GapAnalysis g, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await g.AddFindingAsync(request, ct), f => $"/api/v1/gap-analysis/findings/{f.Id}"))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Record a finding against a clause: edition, clause, title, description. An open finding makes its clause a gap.");
        gap.MapPost("/findings/{id:guid}/close", (Guid id, GapAnalysis.CloseRequest request, GapAnalysis g, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => (await g.FindingsAsync(ct)).Any(f => f.Id == id), version => g.CloseFindingAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Close a finding with a reason once its actions are done (409 names the open ones); send If-Match.");
        gap.MapGet("/actions", async (GapAnalysis g, CancellationToken ct) => TypedResults.Ok(await g.ActionsAsync(ct)))
            .WithSummary("Every action, by due date.");
        gap.MapPost("/actions", async (GapAnalysis.ActionRequest request, GapAnalysis g, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await g.AddActionAsync(request, ct), a => $"/api/v1/gap-analysis/actions/{a.Id}"))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Add an action: findingId (optional), title, ownerId, dueOn (yyyy-MM-dd), status (open, in-progress, done), note.");
        gap.MapPatch("/actions/{id:guid}", (Guid id, GapAnalysis.ActionRequest request, GapAnalysis g, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => (await g.ActionsAsync(ct)).Any(a => a.Id == id), version => g.UpdateActionAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Change an action (title, owner, due date, status, note); send If-Match.");

        var roadmap = endpoints.MapGroup("/api/v1/roadmap").WithTags("Compliance").RequirePermission(CompliancePermissions.Read);
        roadmap.MapGet("", async (Roadmap r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(ct)))
            .WithSummary("The implementation roadmap: training, organisation, diagnosis, documents, trial run, internal audit, management review, certification.");
        roadmap.MapPatch("/{id:guid}", (Guid id, Roadmap.Request request, Roadmap r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => (await r.ListAsync(ct)).Any(s => s.Id == id), version => r.UpdateAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Plan a phase: ownerId, startsOn, dueOn, status (planned, in-progress, done), note; send If-Match.");
    }

    private static async Task<IResult> AuditPackAsync(string? edition, string? format, AuditPack pack, HttpContext http, CancellationToken ct)
    {
        if (Edition(http, edition) is not { } e)
        {
            return BadEdition(http);
        }
        var name = $"iso20000-{e}-audit-pack";
        switch (format?.ToLowerInvariant())
        {
            case "zip":
                return TypedResults.File(await pack.ZipAsync(e, ct), "application/zip", $"{name}.zip");
            case "html":
                return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(await pack.HtmlAsync(e, ct)), "text/html; charset=utf-8", $"{name}.html");
            default:
                var pdf = await pack.PdfAsync(e, ct);
                if (pdf is null)
                {
                    var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
                    return TypedResults.Problem(text["Pack.NoChromium", pack.ChromiumPath], statusCode: StatusCodes.Status503ServiceUnavailable, title: text["Pack.PdfUnavailable"]);
                }
                return TypedResults.File(pdf, "application/pdf", $"{name}.pdf");
        }
    }

    private static string? Edition(HttpContext http, string? edition)
    {
        _ = http;
        var e = string.IsNullOrWhiteSpace(edition) ? "2018" : edition.Trim();
        return ClauseCatalogue.IsEdition(e) ? e : null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem BadEdition(HttpContext http)
    {
        var kernel = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
        return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["edition"] = [kernel["Validation.OneOf", "2018, 2005"]],
        }, title: kernel["Problem.Validation"]);
    }
}
