using Certus.Incidents.Contracts;
using Certus.Problems.Domain;
using Shouldly;
using Xunit;

namespace Certus.Problems.Tests.Domain;

public sealed class ProblemLifecycleTests
{
    private static ProblemState Walk(ProblemState state, params ProblemTrigger[] triggers)
    {
        foreach (var trigger in triggers)
        {
            state = ProblemLifecycle.Next(state, trigger) ?? throw new InvalidOperationException($"{trigger} refused in {state}");
        }
        return state;
    }

    [Fact]
    public void A_problem_goes_from_logged_through_known_error_and_its_fix_to_closure()
    {
        Walk(ProblemState.Logged, ProblemTrigger.Investigate, ProblemTrigger.KnownError, ProblemTrigger.AwaitFix, ProblemTrigger.Resolve, ProblemTrigger.Close)
            .ShouldBe(ProblemState.Closed);
    }

    [Fact]
    public void A_known_error_may_be_resolved_without_a_change_and_a_cause_found_may_wait_for_its_change_without_a_workaround()
    {
        ProblemLifecycle.Next(ProblemState.KnownError, ProblemTrigger.Resolve).ShouldBe(ProblemState.Resolved);
        ProblemLifecycle.Next(ProblemState.Investigating, ProblemTrigger.AwaitFix).ShouldBe(ProblemState.FixPending);
        ProblemLifecycle.Next(ProblemState.Investigating, ProblemTrigger.Resolve).ShouldBe(ProblemState.Resolved);
    }

    [Fact]
    public void A_fix_that_does_not_come_sends_the_problem_back_to_known_error()
    {
        ProblemLifecycle.Next(ProblemState.FixPending, ProblemTrigger.KnownError).ShouldBe(ProblemState.KnownError);
        ProblemLifecycle.Allowed(ProblemState.FixPending).ShouldBe([ProblemTrigger.KnownError, ProblemTrigger.Resolve]);
    }

    [Fact]
    public void Recurrence_reopens_a_resolved_problem_but_a_closed_one_stays_closed()
    {
        ProblemLifecycle.Next(ProblemState.Resolved, ProblemTrigger.Reopen).ShouldBe(ProblemState.Investigating);
        ProblemLifecycle.Allowed(ProblemState.Resolved).ShouldBe([ProblemTrigger.Close, ProblemTrigger.Reopen]);
        ProblemLifecycle.Allowed(ProblemState.Closed).ShouldBeEmpty();
        ProblemLifecycle.Allowed(ProblemState.Cancelled).ShouldBeEmpty();
    }

    [Fact]
    public void Only_a_problem_nobody_has_found_the_cause_of_can_be_cancelled()
    {
        var cancellable = ProblemLifecycle.Transitions().Where(t => t.Trigger == ProblemTrigger.Cancel).Select(t => t.From).ToList();
        cancellable.ShouldBe([ProblemState.Logged, ProblemState.Investigating], ignoreOrder: true);
    }

    [Fact]
    public void Nothing_is_closed_without_first_being_resolved()
    {
        ProblemLifecycle.Transitions().Where(t => t.To == ProblemState.Closed).Select(t => t.From).ShouldBe([ProblemState.Resolved]);
        ProblemLifecycle.Transitions().Where(t => t.To == ProblemState.Resolved).Select(t => t.Trigger).Distinct().ShouldBe([ProblemTrigger.Resolve]);
    }

    [Fact]
    public void Every_state_and_trigger_has_a_wire_name_that_parses_back()
    {
        foreach (var state in Enum.GetValues<ProblemState>())
        {
            ProblemNames.ParseState(state.Key()).ShouldBe(state);
        }
        foreach (var trigger in Enum.GetValues<ProblemTrigger>())
        {
            ProblemNames.ParseTrigger(trigger.Key()).ShouldBe(trigger);
        }
        ProblemLifecycle.OpenKeys.ShouldBe(["logged", "investigating", "known-error", "fix-pending"]);
    }

    [Fact]
    public void Problem_numbers_read_PRB_and_six_digits()
    {
        new ProblemNumber(42).ToString().ShouldBe("PRB-000042");
        ProblemNumber.Parse("prb-000042").ShouldBe(new ProblemNumber(42));
        ProblemNumber.Parse("INC-000042").ShouldBeNull();
        (IncidentNumber.Parse("INC-000007")?.Value).ShouldBe(7);
        (IncidentNumber.Parse("7")?.Value).ShouldBe(7);
        IncidentNumber.Parse("CHG-000007").ShouldBeNull();
    }
}
