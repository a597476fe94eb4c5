namespace Certus.Identity.Features;

/// <summary>An organisation as the API and pages show it.</summary>
public sealed class OrganisationView : Certus.Kernel.Http.IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; init; }
    public long UserCount { get; init; }

    internal const string Select = """
        SELECT o.id, o.name, o.kind, o.description, o.created_at, o.version,
               (SELECT count(*) FROM idn_users u WHERE u.organisation_id = o.id) AS user_count
        FROM idn_organisations o
        """;
}
