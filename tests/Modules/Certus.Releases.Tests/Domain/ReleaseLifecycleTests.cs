using Certus.Releases.Domain;
using Shouldly;
using Xunit;

namespace Certus.Releases.Tests.Domain;

public sealed class ReleaseLifecycleTests
{
    [Fact]
    public void A_release_goes_from_plan_through_build_test_acceptance_and_deployment_to_closure()
    {
        var state = ReleaseState.Planned;
        foreach (var trigger in new[] { ReleaseTrigger.Build, ReleaseTrigger.Test, ReleaseTrigger.Test, ReleaseTrigger.Accept, ReleaseTrigger.Deploy, ReleaseTrigger.Complete, ReleaseTrigger.Close })
        {
            state = ReleaseLifecycle.Next(state, trigger) ?? throw new InvalidOperationException($"{trigger} refused in {state}");
        }

        state.ShouldBe(ReleaseState.Closed);
    }

    [Fact]
    public void A_failed_deployment_is_backed_out_before_it_can_close()
    {
        ReleaseLifecycle.Next(ReleaseState.Deploying, ReleaseTrigger.Fail).ShouldBe(ReleaseState.Failed);
        ReleaseLifecycle.Next(ReleaseState.Failed, ReleaseTrigger.Close).ShouldBeNull();
        ReleaseLifecycle.Allowed(ReleaseState.Failed).ShouldBe([ReleaseTrigger.BackOut]);
        ReleaseLifecycle.Next(ReleaseState.Failed, ReleaseTrigger.BackOut).ShouldBe(ReleaseState.BackedOut);
        ReleaseLifecycle.Next(ReleaseState.BackedOut, ReleaseTrigger.Close).ShouldBe(ReleaseState.Closed);
    }

    [Fact]
    public void A_backed_out_release_is_not_deployed_again_a_re_attempt_goes_through_a_new_change()
    {
        ReleaseLifecycle.Next(ReleaseState.BackedOut, ReleaseTrigger.Deploy).ShouldBeNull();
        ReleaseLifecycle.Next(ReleaseState.Failed, ReleaseTrigger.Deploy).ShouldBeNull();
        ReleaseLifecycle.Allowed(ReleaseState.BackedOut).ShouldBe([ReleaseTrigger.Close]);
    }

    [Fact]
    public void Nothing_is_deployed_without_acceptance_and_nothing_accepted_without_a_test()
    {
        foreach (var state in Enum.GetValues<ReleaseState>().Where(s => s != ReleaseState.Accepted))
        {
            ReleaseLifecycle.Next(state, ReleaseTrigger.Deploy).ShouldBeNull(state.Key());
        }
        foreach (var state in Enum.GetValues<ReleaseState>().Where(s => s != ReleaseState.Testing))
        {
            ReleaseLifecycle.Next(state, ReleaseTrigger.Accept).ShouldBeNull(state.Key());
        }
    }

    [Fact]
    public void Failed_tests_send_the_release_back_to_the_build()
    {
        ReleaseLifecycle.Next(ReleaseState.Testing, ReleaseTrigger.Build).ShouldBe(ReleaseState.Building);
        ReleaseLifecycle.Next(ReleaseState.Accepted, ReleaseTrigger.Build).ShouldBeNull();
    }

    [Fact]
    public void Closed_and_cancelled_releases_allow_no_move_and_deployment_cannot_be_cancelled()
    {
        ReleaseLifecycle.Allowed(ReleaseState.Closed).ShouldBeEmpty();
        ReleaseLifecycle.Allowed(ReleaseState.Cancelled).ShouldBeEmpty();
        ReleaseLifecycle.Next(ReleaseState.Deploying, ReleaseTrigger.Cancel).ShouldBeNull();
        ReleaseLifecycle.Next(ReleaseState.Deployed, ReleaseTrigger.Cancel).ShouldBeNull();
    }

    [Fact]
    public void Content_is_fixed_at_the_build_and_the_plan_at_acceptance()
    {
        ReleaseLifecycle.ContentEditable(ReleaseState.Planned).ShouldBeTrue();
        ReleaseLifecycle.ContentEditable(ReleaseState.Building).ShouldBeFalse();
        ReleaseLifecycle.PlanEditable(ReleaseState.Testing).ShouldBeTrue();
        ReleaseLifecycle.PlanEditable(ReleaseState.Accepted).ShouldBeFalse();
        ReleaseLifecycle.NotesEditable(ReleaseState.Deployed).ShouldBeTrue();
        ReleaseLifecycle.NotesEditable(ReleaseState.Closed).ShouldBeFalse();
    }

    [Fact]
    public void Every_state_and_trigger_has_a_wire_name_that_parses_back()
    {
        foreach (var state in Enum.GetValues<ReleaseState>())
        {
            ReleaseNames.ParseState(state.Key()).ShouldBe(state);
        }
        foreach (var trigger in Enum.GetValues<ReleaseTrigger>())
        {
            ReleaseNames.ParseTrigger(trigger.Key()).ShouldBe(trigger);
        }
        ReleaseNames.ParseState("Backed-Out").ShouldBe(ReleaseState.BackedOut);
        ReleaseNames.ParseState("gone").ShouldBeNull();
    }
}

public sealed class TestRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failure_is_cleared_only_by_a_later_pass_of_the_same_kind()
    {
        var runs = new[]
        {
            new TestRun(TestKind.Integration, TestResult.Failed, T0, 1),
            new TestRun(TestKind.Performance, TestResult.Passed, T0.AddHours(1), 2),
        };

        TestRecords.Failing(runs).ShouldBe([TestKind.Integration]);
        TestRecords.Failing([.. runs, new TestRun(TestKind.Integration, TestResult.Passed, T0.AddHours(2), 3)]).ShouldBeEmpty();
    }

    [Fact]
    public void A_pass_followed_by_a_failure_of_the_same_kind_is_failing()
    {
        TestRecords.Failing(
        [
            new TestRun(TestKind.Acceptance, TestResult.Passed, T0, 1),
            new TestRun(TestKind.Acceptance, TestResult.Failed, T0, 2),
        ]).ShouldBe([TestKind.Acceptance]);
    }
}

public sealed class IdentificationSchemeTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_scheme_names_a_release_by_service_year_and_running_number()
    {
        IdentificationScheme.Format(IdentificationScheme.Default, "COLO", "minor", At, 4).ShouldBe("COLO-2026.4");
        IdentificationScheme.Format("{service}/{type}/{yyyy}{mm}-{seq}", "CDN", "emergency", At, 12).ShouldBe("CDN/emergency/202603-12");
    }

    [Fact]
    public void A_scheme_needs_the_running_number_and_only_known_tokens()
    {
        IdentificationScheme.Problem("{service}-{yyyy}").ShouldBe("no-sequence");
        IdentificationScheme.Problem("{service}-{week}-{seq}").ShouldBe("unknown-token");
        IdentificationScheme.Problem("{service} {seq}").ShouldBe("characters");
        IdentificationScheme.Problem("R{yyyy}.{mm}.{seq}").ShouldBeNull();
    }

    [Fact]
    public void The_running_number_restarts_each_year_only_when_the_scheme_shows_the_year()
    {
        var policy = Guid.NewGuid();
        IdentificationScheme.SequenceName(policy, "{service}-{yyyy}.{seq}", At)
            .ShouldNotBe(IdentificationScheme.SequenceName(policy, "{service}-{yyyy}.{seq}", At.AddYears(1)));
        IdentificationScheme.SequenceName(policy, "{service}-{seq}", At)
            .ShouldBe(IdentificationScheme.SequenceName(policy, "{service}-{seq}", At.AddYears(1)));
    }
}
