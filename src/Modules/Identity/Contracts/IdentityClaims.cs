namespace Certus.Identity.Contracts;

/// <summary>Claim types Certus puts on a signed-in principal.</summary>
public static class IdentityClaims
{
    public const string OrganisationId = "certus:org";
    public const string OrganisationKind = "certus:org_kind";
    public const string Culture = "certus:culture";
    public const string TokenId = "certus:token";
    public const string DisplayName = "certus:display_name";
}
