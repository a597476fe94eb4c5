using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Shouldly;
using Xunit;

namespace Certus.Changes.Tests.Domain;

public sealed class ChangeRulesTests
{
    [Theory]
    [InlineData(ApprovalMode.All, 0, 3, 0, 0, ApprovalOutcome.Pending)]
    [InlineData(ApprovalMode.All, 0, 3, 2, 0, ApprovalOutcome.Pending)]
    [InlineData(ApprovalMode.All, 0, 3, 3, 0, ApprovalOutcome.Authorised)]
    [InlineData(ApprovalMode.All, 0, 3, 2, 1, ApprovalOutcome.Rejected)]
    [InlineData(ApprovalMode.Any, 0, 3, 1, 0, ApprovalOutcome.Authorised)]
    [InlineData(ApprovalMode.Any, 0, 3, 0, 2, ApprovalOutcome.Pending)]
    [InlineData(ApprovalMode.Any, 0, 3, 0, 3, ApprovalOutcome.Rejected)]
    [InlineData(ApprovalMode.Quorum, 2, 3, 1, 0, ApprovalOutcome.Pending)]
    [InlineData(ApprovalMode.Quorum, 2, 3, 2, 0, ApprovalOutcome.Authorised)]
    [InlineData(ApprovalMode.Quorum, 2, 3, 1, 1, ApprovalOutcome.Pending)]
    [InlineData(ApprovalMode.Quorum, 2, 3, 0, 2, ApprovalOutcome.Rejected)]
    [InlineData(ApprovalMode.Quorum, 5, 3, 3, 0, ApprovalOutcome.Authorised)]
    public void An_approval_rule_decides_as_soon_as_the_votes_settle_it(ApprovalMode mode, int quorum, int approvers, int approved, int rejected, ApprovalOutcome expected) =>
        new ApprovalRule(mode, quorum).Decide(approvers, approved, rejected).ShouldBe(expected);

    [Fact]
    public void A_standard_change_is_authorised_by_submitting_it_and_may_close_without_review_unless_it_failed()
    {
        ChangeLifecycle.Next(ChangeType.Standard, ChangeState.Draft, ChangeTrigger.Submit).ShouldBe(ChangeState.Authorised);
        ChangeLifecycle.Next(ChangeType.Standard, ChangeState.Implemented, ChangeTrigger.Close).ShouldBe(ChangeState.Closed);
        ChangeLifecycle.Next(ChangeType.Standard, ChangeState.Failed, ChangeTrigger.Close).ShouldBeNull();
        ChangeLifecycle.Allowed(ChangeType.Standard, ChangeState.Draft).ShouldNotContain(ChangeTrigger.Assess);
    }

    [Fact]
    public void A_normal_change_is_scheduled_before_it_is_implemented_and_reviewed_before_it_closes()
    {
        ChangeLifecycle.Next(ChangeType.Normal, ChangeState.Authorised, ChangeTrigger.Implement).ShouldBeNull();
        ChangeLifecycle.Next(ChangeType.Normal, ChangeState.Submitted, ChangeTrigger.Authorise).ShouldBeNull();
        ChangeLifecycle.Next(ChangeType.Normal, ChangeState.Implemented, ChangeTrigger.Close).ShouldBeNull();
        ChangeLifecycle.Next(ChangeType.Normal, ChangeState.Implemented, ChangeTrigger.Review).ShouldBe(ChangeState.Reviewed);
    }

    [Fact]
    public void An_emergency_change_is_decided_on_submission_and_always_reviewed_afterwards()
    {
        ChangeLifecycle.Next(ChangeType.Emergency, ChangeState.Submitted, ChangeTrigger.Authorise).ShouldBe(ChangeState.Authorised);
        ChangeLifecycle.Next(ChangeType.Emergency, ChangeState.Authorised, ChangeTrigger.Implement).ShouldBe(ChangeState.Implementing);
        foreach (var done in new[] { ChangeState.Implemented, ChangeState.Failed, ChangeState.BackedOut })
        {
            ChangeLifecycle.Next(ChangeType.Emergency, done, ChangeTrigger.Close).ShouldBeNull();
            ChangeLifecycle.Next(ChangeType.Emergency, done, ChangeTrigger.Review).ShouldBe(ChangeState.Reviewed);
        }
    }

    [Theory]
    [InlineData(ReleaseStep.Deploying, ChangeType.Normal, ChangeState.Authorised, "Schedule,Implement")]
    [InlineData(ReleaseStep.Deploying, ChangeType.Standard, ChangeState.Authorised, "Implement")]
    [InlineData(ReleaseStep.Deploying, ChangeType.Emergency, ChangeState.Scheduled, "Implement")]
    [InlineData(ReleaseStep.Deploying, ChangeType.Normal, ChangeState.Implementing, "")]
    [InlineData(ReleaseStep.Deployed, ChangeType.Normal, ChangeState.Implementing, "Complete")]
    [InlineData(ReleaseStep.Deployed, ChangeType.Normal, ChangeState.Authorised, "Schedule,Implement,Complete")]
    [InlineData(ReleaseStep.Deployed, ChangeType.Standard, ChangeState.Implemented, "")]
    [InlineData(ReleaseStep.Failed, ChangeType.Normal, ChangeState.Implementing, "Fail")]
    [InlineData(ReleaseStep.Failed, ChangeType.Normal, ChangeState.Implemented, "")]
    [InlineData(ReleaseStep.Failed, ChangeType.Normal, ChangeState.Authorised, "")]
    [InlineData(ReleaseStep.BackedOut, ChangeType.Emergency, ChangeState.Failed, "BackOut")]
    [InlineData(ReleaseStep.BackedOut, ChangeType.Normal, ChangeState.Implementing, "BackOut")]
    [InlineData(ReleaseStep.BackedOut, ChangeType.Normal, ChangeState.BackedOut, "")]
    public void A_change_follows_its_release_by_its_own_transition_table(ReleaseStep step, ChangeType type, ChangeState state, string expected)
    {
        var moves = ChangeLifecycle.FollowRelease(step, type, state);

        string.Join(",", moves).ShouldBe(expected);
        var at = state;
        foreach (var move in moves)
        {
            at = ChangeLifecycle.Next(type, at, move) ?? throw new ShouldAssertException($"{type} cannot {move} from {at}");
        }
    }

    [Fact]
    public void Every_state_a_change_can_reach_leads_on_to_closed_or_cancelled()
    {
        foreach (var type in Enum.GetValues<ChangeType>())
        {
            var transitions = ChangeLifecycle.Transitions(type).ToList();
            var reachable = new HashSet<ChangeState> { ChangeState.Draft };
            var queue = new Queue<ChangeState>([ChangeState.Draft]);
            while (queue.TryDequeue(out var state))
            {
                foreach (var (_, _, to) in transitions.Where(t => t.From == state))
                {
                    if (reachable.Add(to))
                    {
                        queue.Enqueue(to);
                    }
                }
            }
            foreach (var state in reachable.Where(s => !ChangeLifecycle.IsFinished(s)))
            {
                ChangeLifecycle.Allowed(type, state).ShouldNotBeEmpty($"{type} {state} is a dead end");
            }
            reachable.ShouldContain(ChangeState.Closed);
        }
    }

    [Fact]
    public void A_slot_clashes_with_changes_on_the_same_ci_or_service_with_freezes_and_outside_maintenance_windows()
    {
        var ci = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.FromHours(8));
        var proposed = new Slot(Guid.NewGuid(), "CHG-000010", "Firmware", start, start.AddHours(3), new HashSet<Guid> { ci }, new HashSet<string>(StringComparer.Ordinal) { "COLO" });
        var sameCi = new Slot(Guid.NewGuid(), "CHG-000011", "Cabling", start.AddHours(2), start.AddHours(4), new HashSet<Guid> { ci }, new HashSet<string>(StringComparer.Ordinal));
        var otherService = new Slot(Guid.NewGuid(), "CHG-000012", "CDN", start, start.AddHours(1), new HashSet<Guid>(), new HashSet<string>(StringComparer.Ordinal) { "CDN" });
        var later = new Slot(Guid.NewGuid(), "CHG-000013", "Later", start.AddHours(3), start.AddHours(4), new HashSet<Guid> { ci }, new HashSet<string>(StringComparer.Ordinal));
        var windows = new[]
        {
            new Window(Guid.NewGuid(), "freeze", "Year end", start.AddHours(1), start.AddDays(2), null),
            new Window(Guid.NewGuid(), "maintenance", "Sunday", start, start.AddHours(2), "COLO"),
        };

        var conflicts = ScheduleConflicts.Find(proposed, [sameCi, otherService, later], windows, new Dictionary<Guid, string> { [ci] = "SW-CORE-01" });

        conflicts.Select(c => (c.Kind, c.Reference)).ShouldBe([("change", "CHG-000011"), ("freeze", "Year end"), ("outside-maintenance", "Sunday")]);
        conflicts[0].Shared.ShouldBe(["SW-CORE-01"]);
        ScheduleConflicts.Find(proposed with { Start = start.AddDays(-3), End = start.AddDays(-3).AddHours(1) }, [sameCi], [windows[0]], new Dictionary<Guid, string>())
            .ShouldBeEmpty();
    }
}
