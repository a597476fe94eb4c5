using System.Globalization;
using Certus.Identity.Domain;
using Certus.Identity.Features;
using Certus.Kernel.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Pages.Account;

public sealed class SettingsModel(
    GetMe me,
    TwoFactor twoFactor,
    CreatePersonalAccessToken createToken,
    RevokePersonalAccessToken revokeToken,
    ListPersonalAccessTokens listTokens,
    ChangeMyPassword changePassword,
    SignInManager<CertusUser> signIn,
    IStringLocalizer<Strings> text) : PageModel
{
    public GetMe.Response Me { get; private set; } = null!;

    public TwoFactor.SetUp? SetUp { get; private set; }

    public IReadOnlyList<TokenView> Tokens { get; private set; } = [];

    public string? NewToken { get; private set; }

    public string CurrentCulture { get; } = CultureInfo.CurrentUICulture.Name;

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public ChangeMyPassword.Request Password { get; set; } = new(null, null);

    [BindProperty]
    public string? TokenName { get; set; }

    [BindProperty]
    public int? TokenDays { get; set; } = 90;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostEnableTwoFactorAsync(CancellationToken ct)
    {
        var outcome = await twoFactor.EnableAsync(Code, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!, prefix: "");
            return await LoadAsync(ct);
        }
        await RefreshSessionAsync();
        TempData["Flash"] = text["Settings.TwoFactorEnabled"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostChangePasswordAsync(CancellationToken ct)
    {
        var outcome = await changePassword.HandleAsync(Password, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!, prefix: nameof(Password));
            return await LoadAsync(ct);
        }
        await RefreshSessionAsync();
        TempData["Flash"] = text["Settings.PasswordChanged"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableTwoFactorAsync(CancellationToken ct)
    {
        await twoFactor.DisableAsync(ct);
        await RefreshSessionAsync();
        TempData["Flash"] = text["Settings.TwoFactorDisabled"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(CancellationToken ct)
    {
        var outcome = await createToken.HandleAsync(new CreatePersonalAccessToken.Request(TokenName, TokenDays), ct);
        if (!outcome.Succeeded)
        {
            foreach (var (field, messages) in outcome.Failure!.Fields ?? new Dictionary<string, string[]>(StringComparer.Ordinal))
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field == "name" ? nameof(TokenName) : nameof(TokenDays), message);
                }
            }
            return await LoadAsync(ct);
        }
        // Shown on this response only; a reload does not show it again.
        NewToken = outcome.Value!.Token;
        TokenName = null;
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(Guid id, CancellationToken ct)
    {
        await revokeToken.HandleAsync(id, ct);
        TempData["Flash"] = text["Settings.TokenRevoked"].Value;
        return RedirectToPage();
    }

    /// <summary>The security stamp changed: renew this session's cookie so only the other sessions end.</summary>
    private async Task RefreshSessionAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.RefreshSignInAsync(user);
        }
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var found = await me.HandleAsync(ct);
        if (found is null)
        {
            return Forbid();
        }
        Me = found;
        SetUp = found.TwoFactorEnabled ? null : await twoFactor.SetUpAsync();
        Tokens = await listTokens.HandleAsync(ct);
        return Page();
    }
}
