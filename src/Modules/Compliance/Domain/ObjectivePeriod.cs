using System.Globalization;
using Certus.Kernel.Conformity;

namespace Certus.Compliance.Domain;

/// <summary>The calendar period an objective is measured over.</summary>
public enum PeriodKind { Month, Quarter, Year }

/// <summary>One calendar month, quarter or year: [Start, End) in the provider's calendar.</summary>
public readonly record struct ObjectivePeriod(PeriodKind Kind, DateOnly Start, DateOnly End)
{
    public static ObjectivePeriod Containing(PeriodKind kind, DateOnly day)
    {
        var start = kind switch
        {
            PeriodKind.Month => new DateOnly(day.Year, day.Month, 1),
            PeriodKind.Quarter => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
            PeriodKind.Year => new DateOnly(day.Year, 1, 1),
        };
        return new ObjectivePeriod(kind, start, start.AddMonths(Months(kind)));
    }

    public ObjectivePeriod Previous() => new(Kind, Start.AddMonths(-Months(Kind)), Start);

    /// <summary>Such as <c>2026-05</c>, <c>2026-Q2</c> or <c>2026</c>.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => $"{Start.Year.ToString(CultureInfo.InvariantCulture)}-Q{((Start.Month - 1) / 3) + 1}",
        PeriodKind.Year => Start.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The instant the period starts in <paramref name="zone"/>.</summary>
    public DateTimeOffset From(TimeZoneInfo zone) => Instant(Start, zone);

    /// <summary>The instant the period ends (exclusive) in <paramref name="zone"/>.</summary>
    public DateTimeOffset To(TimeZoneInfo zone) => Instant(End, zone);

    public bool Contains(DateOnly day) => day >= Start && day < End;

    public static int Months(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => 1,
        PeriodKind.Quarter => 3,
        PeriodKind.Year => 12,
    };

    /// <summary>How many periods the trend shows: a year of months, six quarters, five years.</summary>
    public static int TrendLength(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => 12,
        PeriodKind.Quarter => 6,
        PeriodKind.Year => 5,
    };

    private static DateTimeOffset Instant(DateOnly day, TimeZoneInfo zone) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
}

/// <summary>Whether a value meets a target, and the keys periods, directions and results are stored under.</summary>
public static class ObjectiveRules
{
    public const string Met = "met";
    public const string NotMet = "not-met";
    public const string NoData = "no-data";

    /// <summary>The measure key of an objective whose owner enters readings by hand.</summary>
    public const string Manual = "manual";

    public static readonly IReadOnlyList<string> PeriodKeys = ["month", "quarter", "year"];

    public static readonly IReadOnlyList<string> DirectionKeys = ["at-least", "at-most"];

    /// <summary>The processes and functions of the service management system an objective may belong to.</summary>
    public static readonly IReadOnlyList<string> Processes =
    [
        "sms", "service-level", "incident", "service-request", "problem", "change", "release", "configuration", "capacity", "availability",
        "continuity", "security", "supplier", "business-relationship", "customer-satisfaction", "reporting", "improvement", "documents", "competence",
    ];

    public static string Judge(decimal? value, decimal target, MeasureDirection direction) => value switch
    {
        null => NoData,
        { } v when direction == MeasureDirection.AtLeast => v >= target ? Met : NotMet,
        { } v => v <= target ? Met : NotMet,
    };

    public static string Key(this MeasureDirection direction) => direction switch
    {
        MeasureDirection.AtLeast => "at-least",
        MeasureDirection.AtMost => "at-most",
    };

    public static MeasureDirection? ParseDirection(string? key) => key switch
    {
        "at-least" => MeasureDirection.AtLeast,
        "at-most" => MeasureDirection.AtMost,
        _ => null,
    };

    public static string Key(this PeriodKind kind) => kind switch
    {
        PeriodKind.Month => "month",
        PeriodKind.Quarter => "quarter",
        PeriodKind.Year => "year",
    };

    public static PeriodKind? ParsePeriod(string? key) => key switch
    {
        "month" => PeriodKind.Month,
        "quarter" => PeriodKind.Quarter,
        "year" => PeriodKind.Year,
        _ => null,
    };
}
