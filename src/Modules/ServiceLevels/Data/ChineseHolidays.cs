using System.Globalization;
using Certus.ServiceLevels.Domain;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Certus.ServiceLevels.Data;

/// <summary>
/// China's official public holiday schedules (State Council notices), shipped as <c>data/holidays/cn/&lt;year&gt;.yaml</c>
/// and embedded in this assembly: the days off and the weekend days worked instead (调休).
/// </summary>
public static class ChineseHolidays
{
    private const string Prefix = "holidays/cn/";

    private static readonly Lazy<IReadOnlyDictionary<int, Schedule>> All = new(Load);

    /// <summary>One year's schedule; names carry Chinese and English, e.g. <c>春节 / Spring Festival</c>.</summary>
    public sealed record Schedule(int Year, IReadOnlyList<NamedDate> Holidays, IReadOnlyList<NamedDate> WorkingDays);

    /// <summary>The years shipped, in order.</summary>
    public static IReadOnlyList<int> Years => [.. All.Value.Keys.Order()];

    public static Schedule? For(int year) => All.Value.GetValueOrDefault(year);

    private static Dictionary<int, Schedule> Load()
    {
        var assembly = typeof(ChineseHolidays).Assembly;
        var yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var schedules = new Dictionary<int, Schedule>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = yaml.Deserialize<YearFile>(reader);
            schedules[file.Year] = new Schedule(file.Year, Dates(file.Holidays), Dates(file.WorkingDays));
        }
        return schedules;
    }

    private static List<NamedDate> Dates(List<DayEntry>? entries) =>
        [.. (entries ?? []).Select(e => new NamedDate(DateOnly.ParseExact(e.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), $"{e.Zh} / {e.En}"))];

    // YamlDotNet fills these by reflection.
    private sealed class YearFile
    {
        public int Year { get; set; }

        public List<DayEntry>? Holidays { get; set; }

        public List<DayEntry>? WorkingDays { get; set; }
    }

    private sealed class DayEntry
    {
        public string Date { get; set; } = "";

        public string Zh { get; set; } = "";

        public string En { get; set; } = "";
    }
}
