namespace Certus.Data;

/// <summary>
/// The few places where SQLite and PostgreSQL SQL differ. Everything else is written once, in plain SQL.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect Postgres = new(DatabaseProvider.Postgres);

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    /// <summary>Case-insensitive LIKE: <c>LIKE</c> is already case-insensitive for ASCII on SQLite.</summary>
    public string ILike => Provider == DatabaseProvider.Sqlite ? "LIKE" : "ILIKE";

    public static SqlDialect For(System.Data.Common.DbConnection connection) =>
        connection is Npgsql.NpgsqlConnection ? Postgres : Sqlite;

    /// <summary>
    /// <c>column IN (list)</c> for an array parameter: Dapper expands the list on SQLite, while Npgsql takes the
    /// array whole, which PostgreSQL spells <c>= ANY(@p)</c>.
    /// </summary>
    public string In(string column, string parameter) =>
        Provider == DatabaseProvider.Sqlite ? $"{column} IN @{parameter}" : $"{column} = ANY(@{parameter})";

    /// <summary>Comma-separated values of <paramref name="expression"/> over a group.</summary>
    public string StringAgg(string expression) =>
        Provider == DatabaseProvider.Sqlite ? $"group_concat({expression}, ',')" : $"string_agg({expression}, ',')";

    /// <summary>LIMIT/OFFSET is spelled the same on both; kept here so paging reads one way everywhere.</summary>
    public static string Paging(string limitParameter, string offsetParameter) =>
        $"LIMIT {limitParameter} OFFSET {offsetParameter}";
}
