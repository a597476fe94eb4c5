using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.CiAudits;

/// <summary>One configuration audit: its findings with corrective action and resolve forms, closing, the report.</summary>
[RequirePermission(ConfigurationPermissions.Audit)]
public sealed class DetailsModel(ConfigurationAudits audits, IDirectory directory, ICurrentUser caller) : PageModel
{
    public AuditView Audit { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostActionAsync(Guid id, Guid finding, int version, string? actionText, Guid? actionOwnerId, string? actionDue, CancellationToken ct)
    {
        if (!caller.HasPermission(ConfigurationPermissions.Audit))
        {
            return Forbid();
        }
        var outcome = await audits.SetActionAsync(id, finding, version, new ConfigurationAudits.ActionRequest(actionText, actionOwnerId, actionDue), ct);
        return await AfterAsync(id, outcome.Failure, ct);
    }

    public async Task<IActionResult> OnPostResolveAsync(Guid id, Guid finding, int version, string? result, CancellationToken ct)
    {
        if (!caller.HasPermission(ConfigurationPermissions.Audit))
        {
            return Forbid();
        }
        var outcome = await audits.ResolveAsync(id, finding, version, new ConfigurationAudits.ResolveRequest(result), ct);
        return await AfterAsync(id, outcome.Failure, ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, int version, CancellationToken ct)
    {
        if (!caller.HasPermission(ConfigurationPermissions.Audit))
        {
            return Forbid();
        }
        var outcome = await audits.CloseAsync(id, version, ct);
        return await AfterAsync(id, outcome.Failure, ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Kernel.Errors.Failure? failure, CancellationToken ct)
    {
        if (failure is null)
        {
            return Redirect($"/cmdb/audits/{id}");
        }
        ModelState.AddFailure(failure, "");
        ModelState.AddModelError(string.Empty, failure.Message);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await audits.GetAsync(id, ct) is not { } found)
        {
            return false;
        }
        Audit = found;
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        return true;
    }
}
