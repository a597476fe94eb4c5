namespace Certus.Identity.Features;

/// <summary>A personal access token as listed: never the secret itself.</summary>
public sealed class TokenView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The secret, present only in the response that created the token.</summary>
    public string? Token { get; init; }
}
