using Certus.Competence.Features;
using Certus.Identity.Contracts;

namespace Certus.Competence.Pages.Competence;

/// <summary>What the shared review fields need: the values, the staff to pick a reviewer from, the courses.</summary>
public sealed record ReviewForm(PerformanceReviews.Request Input, IReadOnlyList<UserSummary> Staff, IReadOnlyList<CourseView> Courses);
