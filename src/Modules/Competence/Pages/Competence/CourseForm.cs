using Certus.Competence.Features;

namespace Certus.Competence.Pages.Competence;

/// <summary>What the shared course fields show: the values and whether they can be changed.</summary>
public sealed record CourseForm(Courses.Request Input, bool ReadOnly);
