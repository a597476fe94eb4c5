namespace Certus.Identity.Domain;

/// <summary>A person who signs in: provider staff or a customer's user. Read and written by ASP.NET Core Identity.</summary>
public sealed class CertusUser
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public bool TwoFactorEnabled { get; set; }
    public string? AuthenticatorKey { get; set; }
    public string? Culture { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public int Version { get; set; }
}
