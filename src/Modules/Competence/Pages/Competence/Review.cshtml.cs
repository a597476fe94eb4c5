using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages.Competence;

/// <summary>One performance review: the reviewer's draft, its completion, and the person's acknowledgement.</summary>
[RequirePermission(CompetencePermissions.OwnRecord)]
public sealed class ReviewModel(PerformanceReviews reviews, Courses courses, Staff staff, TrainingRecords records, ICurrentUser caller, IStringLocalizer<Strings> text)
    : PageModel
{
    [BindProperty]
    public PerformanceReviews.Request Input { get; set; } = new(null, null, null, null, null, null, null, null);

    public ReviewView Review { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<CourseView> CourseList { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public bool CanRead => caller.HasPermission(CompetencePermissions.Read);

    public bool IsThePerson => caller.UserId == Review.UserId;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        var r = Review;
        Input = new PerformanceReviews.Request(r.UserId, r.Year, r.ReviewerId, r.Objectives, r.Rating, r.Strengths, r.DevelopmentNeeds, r.CourseId);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, int version, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await reviews.UpdateAsync(id, version, Input, ct);
        return await AfterAsync(id, outcome.Failure, ct);
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? note, CancellationToken ct)
    {
        if (move != "acknowledge" && !CanManage)
        {
            return Forbid();
        }
        var outcome = await reviews.MoveAsync(id, version, new PerformanceReviews.MoveRequest(move, note), ct);
        if (outcome.Failure is { Kind: FailureKind.Forbidden })
        {
            return Forbid();
        }
        return await AfterAsync(id, outcome.Failure, ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Failure? failure, CancellationToken ct)
    {
        if (failure is null)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/reviews/{id}");
        }
        ModelState.AddOutcome(failure, text);
        if (failure.Fields is { Count: > 0 } && failure.Kind != FailureKind.Validation)
        {
            ModelState.AddModelError(string.Empty, failure.Message);
        }
        return await LoadAsync(id, ct) ?? Page();
    }

    /// <summary>Loads the review, or says why the caller may not see it.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await reviews.GetAsync(id, ct) is not { } review)
        {
            return NotFound();
        }
        if (!records.MayRead(review.UserId))
        {
            return Forbid();
        }
        Review = review;
        Staff = await staff.ActiveAsync(ct);
        CourseList = await courses.ListAsync(ct);
        return null;
    }
}
