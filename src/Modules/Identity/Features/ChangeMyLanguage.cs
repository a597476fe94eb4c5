using Certus.Kernel.Errors;
using Certus.Kernel.Security;

namespace Certus.Identity.Features;

/// <summary>Remembers the caller's language on their account, so it follows them to every browser.</summary>
public sealed class ChangeMyLanguage(GetUser users, UpdateUser update, ICurrentUser caller, Texts<Strings> text)
{
    public async Task<Outcome<UserView>> HandleAsync(string? culture, CancellationToken ct = default)
    {
        var me = await users.HandleAsync(caller.UserId, ct);
        if (me is null)
        {
            return text.NotFound();
        }
        return await update.HandleAsync(me.Id, me.Version, new UpdateUser.Request(null, null, null, null, culture ?? "", null), ct);
    }
}
