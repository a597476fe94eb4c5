using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Infrastructure;

/// <summary>Identity's password-policy messages in the caller's language.</summary>
internal sealed class LocalizedIdentityErrors(IStringLocalizer<Strings> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), text["Password.TooShort", length]);

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), text["Password.RequiresDigit"]);

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), text["Password.RequiresLower"]);

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), text["Password.RequiresUpper"]);

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), text["Password.RequiresNonAlphanumeric"]);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), text["Password.RequiresUniqueChars", uniqueChars]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
