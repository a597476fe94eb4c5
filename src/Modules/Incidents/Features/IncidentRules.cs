using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;

namespace Certus.Incidents.Features;

/// <summary>Checks shared by logging, editing and assigning: who may be assigned, and to which group.</summary>
internal static class IncidentRules
{
    /// <summary>The roles that work incidents: they hold incidents.work and appear in the assignee pickers.</summary>
    public static readonly string[] Workers =
    [
        Roles.Administrator, Roles.ServiceDeskAgent, Roles.Technician, Roles.ProblemManager, Roles.ChangeManager, Roles.ServiceLevelManager,
    ];

    public static Failure Forbidden(Texts<Strings> text) => new(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);

    /// <summary>409 for a change to a closed or cancelled incident.</summary>
    public static Failure Finished(Texts<Strings> text, string status) =>
        new(FailureKind.Conflict, text["Incident.Finished", text[$"Status.{status}"]]);

    /// <summary>The group must be one of the provider's; the assignee a provider user and, with a group, one of its members.</summary>
    public static async Task CheckAssignmentAsync(FieldErrors errors, Texts<Strings> text, IDirectory directory, Guid? groupId, Guid? assigneeId, CancellationToken ct)
    {
        if (groupId is { } g)
        {
            var group = await directory.FindGroupAsync(g, ct);
            var org = group is null ? null : await directory.FindOrganisationAsync(group.OrganisationId, ct);
            if (org?.Kind != OrganisationKind.Provider)
            {
                errors.AddMessage("assignmentGroupId", text["Incident.GroupUnknown"]);
            }
        }
        if (assigneeId is { } a)
        {
            var user = await directory.FindUserAsync(a, ct);
            var org = user is null ? null : await directory.FindOrganisationAsync(user.OrganisationId, ct);
            if (org?.Kind != OrganisationKind.Provider || user?.IsActive != true)
            {
                errors.AddMessage("assigneeId", text["Incident.AssigneeUnknown"]);
            }
            else if (groupId is { } gid && !(await directory.GroupsOfAsync(a, ct)).Contains(gid))
            {
                errors.AddMessage("assigneeId", text["Incident.AssigneeNotInGroup"]);
            }
        }
    }
}
