using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Tables;

namespace Certus.Competence.Api;

/// <summary>Competence, awareness and training over REST, under <c>/api/v1/competence</c>.</summary>
internal static class CompetenceApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Every member of staff reaches the group (their own record, their own review); the rest needs competence.read or .manage.
        var api = endpoints.MapGroup("/api/v1/competence").WithTags("Competence and training").RequirePermission(CompetencePermissions.OwnRecord);

        api.MapGet("/competences", async (Catalogue c, CancellationToken ct) => TypedResults.Ok(await c.CompetencesAsync(ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("The competence catalogue: key, names, category (technical, process, management, soft-skill).");
        api.MapPost("/competences", async (Catalogue.CompetenceRequest request, Catalogue c, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await c.CreateCompetenceAsync(request, ct), x => $"/api/v1/competence/competences/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Add a competence: key, nameEn, nameZh, description, category.");
        api.MapGet("/competences/{id:guid}", async (Guid id, Catalogue c, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await c.CompetenceAsync(id, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("One competence, with its ETag.");
        api.MapPut("/competences/{id:guid}", (Guid id, Catalogue.CompetenceRequest request, Catalogue c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.CompetenceAsync(id, ct) is not null, v => c.UpdateCompetenceAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a competence; send If-Match.");

        api.MapGet("/job-roles", async (Catalogue c, CancellationToken ct) => TypedResults.Ok(await c.JobRolesAsync(ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("Job roles (岗位) with their required competences and minimum levels, and the people holding them.");
        api.MapPost("/job-roles", async (Catalogue.JobRoleRequest request, Catalogue c, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await c.CreateJobRoleAsync(request, ct), x => $"/api/v1/competence/job-roles/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Add a job role: key, nameEn, nameZh, description, requirements [{competenceId, minLevel 1-4}].");
        api.MapGet("/job-roles/{id:guid}", async (Guid id, Catalogue c, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await c.JobRoleAsync(id, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("One job role, with its ETag.");
        api.MapPut("/job-roles/{id:guid}", (Guid id, Catalogue.JobRoleRequest request, Catalogue c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.JobRoleAsync(id, ct) is not null, v => c.UpdateJobRoleAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a job role (requirements replace the old ones when given); send If-Match.");
        api.MapPut("/job-roles/{id:guid}/people", (Guid id, Catalogue.PeopleRequest request, Catalogue c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.JobRoleAsync(id, ct) is not null, v => c.SetPeopleAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Set who holds the job role (userIds: active provider staff); send the role's If-Match.");

        api.MapGet("/matrix", async (Guid? jobRoleId, Assessments a, CancellationToken ct) => TypedResults.Ok(await a.MatrixAsync(jobRoleId, ct)))
            .RequirePermission(CompetencePermissions.Read)
            .WithSummary("The competence matrix: people holding job roles (?jobRoleId= for one role) × required competences, each cell with level, requirement and gap.");
        api.MapGet("/people/{id:guid}/record", RecordAsync)
            .WithSummary("A person's training record: job roles, competences against requirements, sessions, external trainings, exam results, certificates, "
                + "reviews, planned training. ?format=csv or xlsx to export. Anyone may read their own; others need competence.read.");
        api.MapPost("/people/{id:guid}/levels", async (Guid id, Assessments a, Assessments.AssessRequest request, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await a.AssessAsync(id, request, ct);
                return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Record an assessment: competenceId, level 1-4, assessedOn (yyyy-MM-dd), evidence. Audited.");
        api.MapPost("/people/{id:guid}/external-trainings", async (Guid id, TrainingRecords r, TrainingRecords.ExternalRequest request, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.AddExternalAsync(id, request, ct), _ => $"/api/v1/competence/people/{id}/record"))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Record an external training by hand: title, provider, heldOn, hours, evidence.");

        api.MapGet("/courses", async (Courses c, CancellationToken ct) => TypedResults.Ok(await c.ListAsync(ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("Courses with the competences they develop, awareness topics and exam.");
        api.MapPost("/courses", async (Courses.Request request, Courses c, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await c.CreateAsync(request, ct), x => $"/api/v1/competence/courses/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Add a course: code, titleEn, titleZh, description, kind (internal, external), provider, hours, awareness (policy, objectives, contribution, "
                + "consequences), hasExam, passMark, certificateName, certificateMonths, competences [{competenceId, level}].");
        api.MapGet("/courses/{id:guid}", async (Guid id, Courses c, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await c.GetAsync(id, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("One course, with its ETag.");
        api.MapPut("/courses/{id:guid}", (Guid id, Courses.Request request, Courses c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.GetAsync(id, ct) is not null, v => c.UpdateAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a course; send If-Match.");

        api.MapGet("/sessions", async (int? year, Guid? courseId, Sessions s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(year, courseId, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("Training sessions (?year=, ?courseId=) with their attendance.");
        api.MapPost("/sessions", async (Sessions.Request request, Sessions s, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await s.CreateAsync(request, ct), x => $"/api/v1/competence/sessions/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Plan a session: courseId, startsOn, endsOn, trainer, location, inPlan (part of the year's plan, default true), notes, inviteeIds.");
        api.MapGet("/sessions/{id:guid}", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await s.GetAsync(id, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("One session with attendance, scores and the moves possible now, with its ETag.");
        api.MapPut("/sessions/{id:guid}", (Guid id, Sessions.Request request, Sessions s, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await s.GetAsync(id, ct) is not null, v => s.UpdateAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a planned session; send If-Match (409 once held or cancelled).");
        api.MapPost("/sessions/{id:guid}/moves", (Guid id, Sessions.MoveRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await s.GetAsync(id, ct) is not null, v => s.MoveAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Move a session: hold (from its first day on) or cancel (reason); send If-Match.");
        api.MapPost("/sessions/{id:guid}/invitees", (Guid id, Sessions.InviteRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await s.GetAsync(id, ct) is not null, v => s.InviteAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Invite more people (userIds); send the session's If-Match.");
        api.MapPut("/sessions/{id:guid}/attendance", (Guid id, Sessions.AttendanceRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await s.GetAsync(id, ct) is not null, v => s.RecordAttendanceAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Record attendance and exam results of a held session: rows [{userId, status invited|attended|absent, score 0-100, note}]. "
                + "Passing (score ≥ the course's pass mark) raises the person's competences to the course's level and issues its certificate. Send If-Match.");

        api.MapGet("/plans", async (TrainingPlans p, CancellationToken ct) => TypedResults.Ok(await p.ListAsync(ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("Yearly training plans with their sessions and completion (held of planned).");
        api.MapPost("/plans", async (TrainingPlans.Request request, TrainingPlans p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.CreateAsync(request, ct), x => $"/api/v1/competence/plans/{x.Year}"))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Start the training plan of a year: year, title, goals. One per year.");
        api.MapGet("/plans/{year:int}", async (int year, TrainingPlans p, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await p.GetAsync(year, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("The plan of a year, with its ETag.");
        api.MapPut("/plans/{year:int}", (int year, TrainingPlans.Request request, TrainingPlans p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.GetAsync(year, ct) is not null, v => p.UpdateAsync(year, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a plan's title and goals; send If-Match.");

        api.MapGet("/certificates", async (string? state, Guid? userId, Certificates c, CancellationToken ct) => TypedResults.Ok(await c.ListAsync(state, userId, ct)))
            .RequirePermission(CompetencePermissions.Read)
            .WithSummary("Certificates (?state=valid|expiring|expired|renewed|retired, ?userId=), lapsed first, with the warnings sent about each.");
        api.MapPost("/certificates", async (Certificates.Request request, Certificates c, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await c.CreateAsync(request, null, ct), x => $"/api/v1/competence/certificates/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Record a certificate: userId, name, issuer, number, issuedOn, expiresOn (optional). A later one of the same name renews an earlier one.");
        api.MapGet("/certificates/{id:guid}", async (Guid id, Certificates c, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await c.GetAsync(id, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("One certificate with its state today, with its ETag.");
        api.MapPut("/certificates/{id:guid}", (Guid id, Certificates.Request request, Certificates c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.GetAsync(id, ct) is not null, v => c.UpdateAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Correct a certificate (name, issuer, number, issuedOn, expiresOn); send If-Match.");
        api.MapPost("/certificates/{id:guid}/retire", (Guid id, Certificates.RetireRequest request, Certificates c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.GetAsync(id, ct) is not null, v => c.RetireAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Retire a certificate the work no longer needs (reason); send If-Match.");
        api.MapPost("/certificates/{id:guid}/file", AttachAsync)
            .RequirePermission(CompetencePermissions.Manage).DisableAntiforgery()
            .WithSummary("Attach the scanned certificate (multipart field file, at most 10 MB); stored under its SHA-256; send If-Match.");
        api.MapGet("/certificates/{id:guid}/file", async (Guid id, Certificates c, HttpContext http, CancellationToken ct) =>
            {
                if (await c.FileAsync(id, ct) is not { } file)
                {
                    return ApiResults.NotFound(http);
                }
                http.Response.Headers["X-Content-SHA256"] = file.Hash;
                return TypedResults.File(file.Content, file.Type, file.Name);
            })
            .RequirePermission(CompetencePermissions.Read).WithSummary("The attached file, with its SHA-256 in X-Content-SHA256.");

        api.MapGet("/performance-reviews", async (int? year, Guid? userId, PerformanceReviews r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(year, userId, ct)))
            .RequirePermission(CompetencePermissions.Read).WithSummary("Yearly performance reviews (?year=, ?userId=).");
        api.MapPost("/performance-reviews", async (PerformanceReviews.Request request, PerformanceReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.CreateAsync(request, ct), x => $"/api/v1/competence/performance-reviews/{x.Id}"))
            .RequirePermission(CompetencePermissions.Manage)
            .WithSummary("Start a review: userId, year, reviewerId, objectives, rating (A, B, C, D), strengths, developmentNeeds, courseId. One per person and year (409).");
        api.MapGet("/performance-reviews/{id:guid}", async (Guid id, PerformanceReviews r, TrainingRecords records, HttpContext http, CancellationToken ct) =>
                await r.GetAsync(id, ct) is { } review && records.MayRead(review.UserId) ? ApiResults.Read(http, review) : ApiResults.NotFound(http))
            .WithSummary("One review, with its ETag: the person reviewed may read their own; others need competence.read.");
        api.MapPut("/performance-reviews/{id:guid}", (Guid id, PerformanceReviews.Request request, PerformanceReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, v => r.UpdateAsync(id, v, request, ct)))
            .RequirePermission(CompetencePermissions.Manage).WithSummary("Change a draft review; send If-Match (409 once completed: completed reviews are immutable).");
        api.MapPost("/performance-reviews/{id:guid}/moves", MoveReviewAsync)
            .WithSummary("complete (competence.manage; rating and objectives required) or acknowledge (the person reviewed only, with an optional note); send If-Match.");
    }

    private static async Task<IResult> RecordAsync(Guid id, string? format, TrainingRecords records, HttpContext http, CancellationToken ct)
    {
        if (!records.MayRead(id))
        {
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            return ApiResults.Problem(http, new Failure(FailureKind.Forbidden, text["Record.NotYours"]));
        }
        if (await records.GetAsync(id, ct) is not { } record)
        {
            return ApiResults.NotFound(http);
        }
        var file = $"training-record-{record.Email.Split('@')[0]}";
        return format?.ToLowerInvariant() switch
        {
            "csv" => TypedResults.File(TableFiles.ToBytes(TableFormat.Csv, records.Sheets(record, true)), TableFiles.ContentType(TableFormat.Csv), file + ".csv"),
            "xlsx" => TypedResults.File(TableFiles.ToBytes(TableFormat.Xlsx, records.Sheets(record, false)), TableFiles.ContentType(TableFormat.Xlsx), file + ".xlsx"),
            _ => TypedResults.Ok(record),
        };
    }

    private static async Task<IResult> AttachAsync(Guid id, Certificates certificates, HttpContext http, CancellationToken ct)
    {
        if (await certificates.GetAsync(id, ct) is null)
        {
            return ApiResults.NotFound(http);
        }
        if (ApiResults.IfMatchVersion(http) is not { } version)
        {
            return ApiResults.PreconditionRequired(http);
        }
        var kernel = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
        if (http.Request.ContentLength > Certificates.MaxFileBytes + (1024 * 1024)
            || !http.Request.HasFormContentType || (await http.Request.ReadFormAsync(ct)).Files.GetFile("file") is not { } file)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["file"] = [kernel["Validation.Required"]] },
                title: kernel["Problem.Validation"]);
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return ApiResults.Saved(http, await certificates.AttachAsync(id, version, new Certificates.UploadedFile(file.FileName,
            string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray()), ct));
    }

    private static async Task<IResult> MoveReviewAsync(Guid id, PerformanceReviews.MoveRequest request, PerformanceReviews reviews, ICurrentUser caller, HttpContext http, CancellationToken ct)
    {
        if (await reviews.GetAsync(id, ct) is not { } review || (review.UserId != caller.UserId && !caller.HasPermission(CompetencePermissions.Read)))
        {
            return ApiResults.NotFound(http);
        }
        // Completing is the records keepers' act; acknowledging is the person's own (checked by the use case).
        if (!string.Equals(request.Move, "acknowledge", StringComparison.Ordinal) && !caller.HasPermission(CompetencePermissions.Manage))
        {
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
            return ApiResults.Problem(http, new Failure(FailureKind.Forbidden, text["Problem.Forbidden"]));
        }
        return await ApiResults.UpdateAsync(http, () => Task.FromResult(true), v => reviews.MoveAsync(id, v, request, ct));
    }
}
