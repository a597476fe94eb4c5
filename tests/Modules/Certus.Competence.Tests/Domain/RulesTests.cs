using Certus.Competence.Domain;
using Certus.Competence.Features;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Domain;

/// <summary>The module's rules that need no database: certificate states and warnings, the lifecycles, plan figures.</summary>
public sealed class RulesTests
{
    [Theory]
    [InlineData("2027-01-21", "valid")]
    [InlineData("2027-01-20", "expiring")]
    [InlineData("2026-11-21", "expiring")]
    [InlineData("2026-11-20", "expired")]
    public void A_certificate_is_expiring_within_the_first_threshold_and_expired_after_its_last_day(string expires, string state) =>
        CertificateRules.StateOf(expires, "2026-11-21", 60, renewed: false, retired: false).Key().ShouldBe(state);

    [Fact]
    public void Renewed_and_retired_certificates_are_neither_held_nor_lapsed()
    {
        CertificateRules.StateOf("2020-01-01", "2026-11-21", 60, renewed: true, retired: false).ShouldBe(CertificateState.Renewed);
        CertificateRules.StateOf("2020-01-01", "2026-11-21", 60, renewed: false, retired: true).ShouldBe(CertificateState.Retired);
        CertificateRules.StateOf(null, "2026-11-21", 60, renewed: false, retired: false).ShouldBe(CertificateState.Valid);
    }

    [Theory]
    [InlineData(90, null)]
    [InlineData(60, 60)]
    [InlineData(30, 60)]
    [InlineData(14, 14)]
    [InlineData(3, 14)]
    [InlineData(0, 14)]
    [InlineData(-1, 0)]
    public void The_warning_due_is_the_smallest_threshold_reached_and_one_on_expiry(int daysLeft, int? due) =>
        CertificateRules.DueThreshold(daysLeft, [60, 14]).ShouldBe(due);

    [Fact]
    public void Sessions_are_held_or_cancelled_only_while_planned()
    {
        SessionLifecycle.Next(SessionStatus.Planned, SessionTrigger.Hold).ShouldBe(SessionStatus.Held);
        SessionLifecycle.Next(SessionStatus.Planned, SessionTrigger.Cancel).ShouldBe(SessionStatus.Cancelled);
        SessionLifecycle.Next(SessionStatus.Held, SessionTrigger.Cancel).ShouldBeNull();
        SessionLifecycle.Next(SessionStatus.Cancelled, SessionTrigger.Hold).ShouldBeNull();
        SessionLifecycle.Allowed(SessionStatus.Held).ShouldBeEmpty();
    }

    [Fact]
    public void A_review_is_completed_from_draft_and_acknowledged_once_completed()
    {
        ReviewLifecycle.Next(ReviewStatus.Draft, ReviewTrigger.Complete).ShouldBe(ReviewStatus.Completed);
        ReviewLifecycle.Next(ReviewStatus.Draft, ReviewTrigger.Acknowledge).ShouldBeNull();
        ReviewLifecycle.Next(ReviewStatus.Completed, ReviewTrigger.Acknowledge).ShouldBe(ReviewStatus.Acknowledged);
        ReviewLifecycle.Next(ReviewStatus.Acknowledged, ReviewTrigger.Complete).ShouldBeNull();
        ReviewLifecycle.IsDone(ReviewStatus.Draft).ShouldBeFalse();
        ReviewLifecycle.IsDone(ReviewStatus.Acknowledged).ShouldBeTrue();
    }

    [Fact]
    public void Plan_completion_counts_cancelled_sessions_as_not_held_and_past_planned_ones_as_overdue()
    {
        SessionView S(string on, string status, bool inPlan = true) => new() { StartsOn = on, Status = status, InPlan = inPlan };
        var figures = PlanFigures.Of([S("2026-01-15", "held"), S("2026-03-10", "held"), S("2026-10-20", "cancelled"), S("2026-11-02", "planned"),
            S("2026-12-10", "planned"), S("2026-06-01", "held", inPlan: false)], "2026-11-21");
        figures.ShouldBe(new PlanFigures(5, 2, 1, 1, 1));
        figures.Completion.ShouldBe(40m);
        PlanFigures.Of([], "2026-11-21").Completion.ShouldBeNull();
    }
}
