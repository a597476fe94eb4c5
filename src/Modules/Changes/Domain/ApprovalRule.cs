namespace Certus.Changes.Domain;

/// <summary>How a board's votes become a decision.</summary>
public enum ApprovalMode
{
    /// <summary>Every approver must approve; one rejection rejects.</summary>
    All,

    /// <summary>One approval authorises; the change is rejected only when everyone rejected.</summary>
    Any,

    /// <summary>At least <see cref="ApprovalRule.Quorum"/> approvals authorise; rejected once that can no longer be reached.</summary>
    Quorum,
}

/// <summary>What the votes so far decide.</summary>
public enum ApprovalOutcome
{
    Pending,
    Authorised,
    Rejected,
}

/// <summary>A board's approval rule, applied to one round of votes.</summary>
public sealed record ApprovalRule(ApprovalMode Mode, int Quorum)
{
    public static string Key(ApprovalMode mode) => mode switch
    {
        ApprovalMode.All => "all",
        ApprovalMode.Any => "any",
        ApprovalMode.Quorum => "quorum",
    };

    public static ApprovalMode? Parse(string? key) => key?.Trim().ToLowerInvariant() switch
    {
        "all" => ApprovalMode.All,
        "any" => ApprovalMode.Any,
        "quorum" => ApprovalMode.Quorum,
        _ => null,
    };

    /// <summary>The approvals needed out of <paramref name="approvers"/> (a quorum larger than the board needs them all).</summary>
    public int Needed(int approvers) => Mode switch
    {
        ApprovalMode.All => approvers,
        ApprovalMode.Any => Math.Min(1, approvers),
        ApprovalMode.Quorum => Math.Min(Math.Max(1, Quorum), approvers),
    };

    public ApprovalOutcome Decide(int approvers, int approved, int rejected)
    {
        var needed = Needed(approvers);
        if (approvers == 0)
        {
            return ApprovalOutcome.Pending;
        }
        if (approved >= needed)
        {
            return ApprovalOutcome.Authorised;
        }
        // Rejected as soon as the approvals still possible cannot reach what is needed.
        return approvers - rejected < needed ? ApprovalOutcome.Rejected : ApprovalOutcome.Pending;
    }
}
