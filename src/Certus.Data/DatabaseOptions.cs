namespace Certus.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from <c>Certus:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Certus:Database";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Npgsql connection string, or a full SQLite connection string overriding <see cref="Path"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite file, relative to the working directory.</summary>
    public string Path { get; set; } = "data/certus.db";

    public DatabaseProvider ParsedProvider => Provider.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"Certus:Database:Provider is '{Provider}'; use 'sqlite' or 'postgres'."),
    };
}
