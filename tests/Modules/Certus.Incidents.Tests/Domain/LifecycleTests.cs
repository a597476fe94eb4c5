using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Domain;

public sealed class LifecycleTests
{
    // Every move the manual's process allows (§7.2); everything else must be refused.
    private static readonly HashSet<(IncidentStatus, IncidentTrigger, IncidentStatus)> Allowed =
    [
        (IncidentStatus.New, IncidentTrigger.Assign, IncidentStatus.Assigned),
        (IncidentStatus.Assigned, IncidentTrigger.Assign, IncidentStatus.Assigned),
        (IncidentStatus.InProgress, IncidentTrigger.Assign, IncidentStatus.Assigned),
        (IncidentStatus.Pending, IncidentTrigger.Assign, IncidentStatus.Assigned),
        (IncidentStatus.Assigned, IncidentTrigger.Start, IncidentStatus.InProgress),
        (IncidentStatus.Pending, IncidentTrigger.Start, IncidentStatus.InProgress),
        (IncidentStatus.InProgress, IncidentTrigger.Pend, IncidentStatus.Pending),
        (IncidentStatus.New, IncidentTrigger.Resolve, IncidentStatus.Resolved),
        (IncidentStatus.Assigned, IncidentTrigger.Resolve, IncidentStatus.Resolved),
        (IncidentStatus.InProgress, IncidentTrigger.Resolve, IncidentStatus.Resolved),
        (IncidentStatus.Pending, IncidentTrigger.Resolve, IncidentStatus.Resolved),
        (IncidentStatus.Resolved, IncidentTrigger.Confirm, IncidentStatus.Closed),
        (IncidentStatus.Resolved, IncidentTrigger.AutoClose, IncidentStatus.Closed),
        (IncidentStatus.Resolved, IncidentTrigger.RejectResolution, IncidentStatus.InProgress),
        (IncidentStatus.Resolved, IncidentTrigger.Reopen, IncidentStatus.InProgress),
        (IncidentStatus.New, IncidentTrigger.Cancel, IncidentStatus.Cancelled),
        (IncidentStatus.Assigned, IncidentTrigger.Cancel, IncidentStatus.Cancelled),
    ];

    public static TheoryData<IncidentStatus, IncidentTrigger> EveryPair()
    {
        var data = new TheoryData<IncidentStatus, IncidentTrigger>();
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            foreach (var trigger in Enum.GetValues<IncidentTrigger>())
            {
                data.Add(status, trigger);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Each_status_and_trigger_moves_exactly_as_the_process_says(IncidentStatus from, IncidentTrigger trigger)
    {
        var expected = Allowed.SingleOrDefault(a => a.Item1 == from && a.Item2 == trigger);

        var next = IncidentLifecycle.Next(from, trigger);

        if (expected == default)
        {
            next.ShouldBeNull($"{from} --{trigger}--> should be refused");
        }
        else
        {
            next.ShouldBe(expected.Item3);
        }
    }

    [Fact]
    public void Closed_and_cancelled_incidents_cannot_move_at_all()
    {
        IncidentLifecycle.Allowed(IncidentStatus.Closed).ShouldBeEmpty();
        IncidentLifecycle.Allowed(IncidentStatus.Cancelled).ShouldBeEmpty();
    }

    [Fact]
    public void An_incident_closes_only_from_resolved()
    {
        foreach (var status in Enum.GetValues<IncidentStatus>().Where(s => s != IncidentStatus.Resolved))
        {
            IncidentLifecycle.Next(status, IncidentTrigger.Confirm).ShouldBeNull();
            IncidentLifecycle.Next(status, IncidentTrigger.AutoClose).ShouldBeNull();
        }
    }

    [Theory]
    [InlineData(Level.High, Level.High, 1)]
    [InlineData(Level.High, Level.Medium, 2)]
    [InlineData(Level.Medium, Level.High, 2)]
    [InlineData(Level.High, Level.Low, 3)]
    [InlineData(Level.Medium, Level.Medium, 3)]
    [InlineData(Level.Low, Level.High, 3)]
    [InlineData(Level.Medium, Level.Low, 4)]
    [InlineData(Level.Low, Level.Medium, 4)]
    [InlineData(Level.Low, Level.Low, 5)]
    public void The_default_matrix_is_the_usual_three_by_three(Level impact, Level urgency, int priority) =>
        PriorityMatrix.Default.PriorityOf(impact, urgency).ShouldBe(priority);

    [Fact]
    public void A_matrix_with_a_missing_or_out_of_range_cell_is_refused()
    {
        var cells = PriorityMatrix.Default.Cells.ToDictionary(c => c.Key, c => c.Value);
        cells[(Level.Low, Level.Low)] = 6;

        Should.Throw<ArgumentException>(() => new PriorityMatrix(cells));
        cells.Remove((Level.Low, Level.Low));
        Should.Throw<ArgumentException>(() => new PriorityMatrix(cells));
    }

    [Theory]
    [InlineData("INC-000123", 123)]
    [InlineData("inc-42", 42)]
    [InlineData("7", 7)]
    public void Incident_numbers_read_back(string text, long value)
    {
        IncidentNumber.Parse(text)!.Value.Value.ShouldBe(value);
        new IncidentNumber(123).ToString().ShouldBe("INC-000123");
    }
}
