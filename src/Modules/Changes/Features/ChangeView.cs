using System.Text.Json;
using Certus.Changes.Domain;
using Certus.Kernel.Http;

namespace Certus.Changes.Features;

/// <summary>A CI a change declares, as it was named when declared.</summary>
public sealed record ChangeCi(Guid Id, string Identifier, string Name);

/// <summary>A CMDB update the change declares, applied when the change is implemented.</summary>
public sealed record DeclaredUpdate(Guid CiId, string Identifier, string? VersionLabel, string? Status, IReadOnlyDictionary<string, string?>? Attributes);

/// <summary>One approver's vote in an approval round.</summary>
public sealed record ApprovalView(int Round, Guid ApproverId, string ApproverName, string Decision, string? Reason, string? Via, DateTimeOffset? DecidedAt);

/// <summary>What the impact assessment found in the CMDB when the change was assessed.</summary>
public sealed record ImpactSnapshot(
    IReadOnlyList<string> Cis, IReadOnlyList<string> Services, IReadOnlyList<string> Customers, IReadOnlyList<string> Agreements, int CiCount, bool Truncated);

/// <summary>The post-implementation review.</summary>
public sealed record ReviewView(string Result, IReadOnlyList<string> IncidentsCaused, string Lessons, DateTimeOffset At, Guid? By);

/// <summary>A change as the API and pages show it.</summary>
public sealed class ChangeView : IVersioned
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ChangeNumber(NumberValue).ToString();
    public string Type { get; init; } = "";
    public string State { get; init; } = "";
    public bool Authorised => AuthorisedAt is not null;
    public DateTimeOffset? AuthorisedAt { get; init; }
    public Guid OrganisationId { get; init; }
    public string? OrganisationName { get; set; }
    public string Origin { get; init; } = "";
    public string Title { get; init; } = "";
    public string Reason { get; init; } = "";
    public string Description { get; init; } = "";
    public Guid? TemplateId { get; init; }
    public string? TemplateName { get; set; }
    public string? SourceKind { get; init; }
    public string? SourceRef { get; init; }
    public Guid? RequestedBy { get; init; }
    public string RequestedByName { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public IReadOnlyDictionary<string, string> RiskAnswers { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public int? RiskScore { get; init; }
    public string? RiskLevel { get; init; }
    public ImpactSnapshot? Impact { get; set; }
    public string ImplementationPlan { get; init; } = "";
    public string BackoutPlan { get; init; } = "";
    public string TestPlan { get; init; } = "";
    public string CustomerImpact { get; init; } = "";
    public decimal? CostEstimate { get; init; }
    public string? CostCurrency { get; init; }
    public string? SupplierContract { get; init; }
    public string? SlaImpact { get; init; }
    public IReadOnlyList<DeclaredUpdate> CmdbUpdates { get; set; } = [];
    public DateTimeOffset? CmdbAppliedAt { get; init; }
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public string? ScheduleOverride { get; init; }
    public DateTimeOffset? ActualStart { get; init; }
    public DateTimeOffset? ActualEnd { get; init; }
    public int ApprovalRound { get; init; }
    public Guid? BoardId { get; init; }
    public string? BoardName { get; set; }
    public string? ApprovalRule { get; set; }
    public IReadOnlyList<ApprovalView> Approvals { get; set; } = [];
    public IReadOnlyList<ChangeCi> Cis { get; set; } = [];
    public IReadOnlyList<Guid> TouchedCiIds { get; set; } = [];
    public IReadOnlyList<string> Services { get; set; } = [];
    public string? OutcomeReason { get; init; }
    public ReviewView? Review { get; set; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>The transitions possible now, by their API names (authorise and reject are the board's votes).</summary>
    public IReadOnlyList<string> AllowedActions => ChangeLifecycle.Allowed(ParsedType, ParsedState).Select(t => t.Key()).ToList();

    // Columns stored as JSON or spread over several columns, read by Dapper and unfolded into the properties above.
    internal string RiskAnswersJson { init => RiskAnswers = JsonSerializer.Deserialize<Dictionary<string, string>>(value, Json) ?? []; }
    internal string? ImpactJson { init => Impact = value is null ? null : JsonSerializer.Deserialize<ImpactSnapshot>(value, Json); }
    internal string CmdbUpdatesJson { init => CmdbUpdates = JsonSerializer.Deserialize<List<DeclaredUpdate>>(value, Json) ?? []; }
    internal string? ReviewResult { get; init; }
    internal string? ReviewIncidents { get; init; }
    internal string? ReviewLessons { get; init; }
    internal DateTimeOffset? ReviewedAt { get; init; }
    internal Guid? ReviewedBy { get; init; }

    internal ChangeType ParsedType => ChangeNames.ParseType(Type)!.Value;

    internal ChangeState ParsedState => ChangeNames.ParseState(State)!.Value;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>A change in a list: enough to find it and see where it stands.</summary>
public sealed class ChangeRow
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ChangeNumber(NumberValue).ToString();
    public string Type { get; init; } = "";
    public string State { get; init; } = "";
    public string Title { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string? RiskLevel { get; init; }
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public string RequestedByName { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ActualStart { get; init; }
}
