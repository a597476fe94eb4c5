namespace Certus.Changes.Contracts;

/// <summary>Permissions of change management.</summary>
public static class ChangePermissions
{
    /// <summary>See changes and the change schedule (customers: the changes raised for or affecting their organisation).</summary>
    public const string Read = "changes.read";

    /// <summary>Raise requests for change and edit one's own drafts.</summary>
    public const string Request = "changes.request";

    /// <summary>Assess, schedule, implement and review changes; run the post-implementation review.</summary>
    public const string Manage = "changes.manage";

    /// <summary>Decide on changes as a member of a change advisory board.</summary>
    public const string Approve = "changes.approve";

    /// <summary>Configure templates, the risk questionnaire, boards, and freeze and maintenance windows.</summary>
    public const string Configure = "changes.configure";
}
