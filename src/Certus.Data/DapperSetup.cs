using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Certus.Data;

/// <summary>
/// Global Dapper configuration: snake_case columns, and Guid/DateTimeOffset stored as readable, sortable
/// text on SQLite while PostgreSQL keeps its native uuid and timestamptz. Every DateTimeOffset parameter is
/// normalised to UTC and microseconds, so a caller's +08:00 value compares right on both providers.
/// </summary>
public static class DapperSetup
{
    /// <summary>Timestamps are kept to the microsecond: PostgreSQL's precision, so both databases agree.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>
    /// How SQLite columns hold timestamps: the text Microsoft.Data.Sqlite writes for a UTC value (trailing zeros of the
    /// fraction dropped, offset +00:00), which sorts and compares as text.
    /// </summary>
    public const string SqliteTimestampFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF'+00:00'";

    private static readonly Lock Gate = new();
    private static bool _configured;

    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }
            SQLitePCL.Batteries_V2.Init();
            DefaultTypeMap.MatchNamesWithUnderscores = true;
            SqlMapper.AddTypeHandler(new GuidHandler());
            // Dapper binds the types of its built-in map itself and never asks a handler for their parameters, so the
            // built-in DateTimeOffset entries go: parameters then pass through DateTimeOffsetHandler.SetValue.
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
            SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
            _configured = true;
        }
    }

    /// <summary>Truncates to microseconds and normalises to UTC.</summary>
    public static DateTimeOffset Normalise(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        Normalise(value).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a Guid."),
        };
    }

    /// <summary>Non-generic, so that a single NULL column read as <c>DateTimeOffset?</c> comes back as null.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            if (value is not DateTimeOffset at)
            {
                parameter.Value = DBNull.Value;
                return;
            }
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = Normalise(at).ToString(SqliteTimestampFormat, CultureInfo.InvariantCulture);
            }
            else
            {
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = Normalise(at);
            }
        }

        public object? Parse(Type destinationType, object value) => value switch
        {
            DBNull => null,
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a timestamp."),
        };
    }
}
