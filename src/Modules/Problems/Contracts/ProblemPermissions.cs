namespace Certus.Problems.Contracts;

/// <summary>Permissions of problem management. Customers hold none: problem management is the provider's own work.</summary>
public static class ProblemPermissions
{
    /// <summary>See problems, the known-error database and incident trends (provider staff).</summary>
    public const string Read = "problems.read";

    /// <summary>Raise a problem and link incidents to problems (service desk, technicians, problem managers).</summary>
    public const string Raise = "problems.raise";

    /// <summary>Move, edit and unlink; raise or link the changes that remove a cause (problem managers).</summary>
    public const string Manage = "problems.manage";
}
