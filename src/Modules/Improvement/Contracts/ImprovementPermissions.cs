namespace Certus.Improvement.Contracts;

/// <summary>Permissions of nonconformity, corrective and preventive action and improvement.</summary>
public static class ImprovementPermissions
{
    /// <summary>See the nonconformity and improvement registers (provider staff only).</summary>
    public const string Read = "improvement.read";

    /// <summary>Propose an improvement (any member of staff).</summary>
    public const string Propose = "improvement.propose";

    /// <summary>Raise nonconformities, record correction, root cause, corrective action and effectiveness; evaluate improvements.</summary>
    public const string Manage = "improvement.manage";
}
