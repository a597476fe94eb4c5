using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Notifications.Pages.Admin.NotificationTemplates;

[RequirePermission(NotificationPermissions.Manage)]
public sealed class EditModel(Features.NotificationTemplates templates, IStringLocalizer<Strings> text) : PageModel
{
    public TemplateView Template { get; private set; } = null!;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        public string? Subject { get; set; }
        public string? Body { get; set; }
        public int Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string key, string culture, CancellationToken ct)
    {
        if (await templates.GetAsync(key, culture, ct) is not { } found)
        {
            return NotFound();
        }
        Template = found;
        Input = new InputModel { Subject = found.Subject, Body = found.Body, Version = found.Version };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string key, string culture, CancellationToken ct)
    {
        if (await templates.GetAsync(key, culture, ct) is not { } found)
        {
            return NotFound();
        }
        var outcome = await templates.SaveAsync(key, culture, Input.Version, new Features.NotificationTemplates.Request(Input.Subject, Input.Body), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Templates.Saved"].Value;
            return Redirect($"/admin/notification-templates/{Uri.EscapeDataString(key)}/{culture}");
        }
        Template = found;
        if (outcome.Failure!.Kind == FailureKind.PreconditionFailed)
        {
            ModelState.AddModelError(string.Empty, text["Templates.Stale"]);
            Input.Version = found.Version;
        }
        else
        {
            ModelState.AddFailure(outcome.Failure);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string key, string culture, CancellationToken ct)
    {
        var outcome = await templates.ResetAsync(key, culture, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        TempData["Flash"] = text["Templates.ResetDone"].Value;
        return Redirect($"/admin/notification-templates/{Uri.EscapeDataString(key)}/{culture}");
    }
}
