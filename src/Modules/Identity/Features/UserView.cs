namespace Certus.Identity.Features;

/// <summary>A user as the API and pages show it; never the password hash or authenticator key.</summary>
public sealed class UserView : Certus.Kernel.Http.IVersioned
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string OrganisationName { get; init; } = "";
    public string OrganisationKind { get; init; } = "";
    public IReadOnlyList<string> Roles { get; set; } = [];
    public IReadOnlyList<Guid> GroupIds { get; set; } = [];
    public bool IsActive { get; init; }
    public bool TwoFactorEnabled { get; init; }
    public DateTimeOffset? LockoutEnd { get; init; }
    public string? Culture { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; init; }

    internal const string Select = """
        SELECT u.id, u.email, u.display_name, u.organisation_id, o.name AS organisation_name, o.kind AS organisation_kind,
               u.is_active, u.two_factor_enabled, u.lockout_end, u.culture, u.created_at, u.version
        FROM idn_users u JOIN idn_organisations o ON o.id = u.organisation_id
        """;
}
