using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Certus.Bench.Calendar;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;

// The two ways must agree before their speed means anything.
var check = new DueBenchmarks();
check.Setup();
var random = new Random(7);
for (var i = 0; i < 10_000; i++)
{
    var start = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 3600 * 24 * 60));
    var minutes = random.Next(1, 9600);
    if (check.Calendar.Due(start, minutes) != check.Walk.Due(start, minutes))
    {
        throw new InvalidOperationException($"Due and the day walk disagree at {start:O} + {minutes} min.");
    }
}

// What CalendarCache pays once per calendar version.
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var clock = Stopwatch.StartNew();
var compiled = BusinessCalendar.Compile(DueBenchmarks.Definition, CalendarCache.First, CalendarCache.Last);
var compileMs = clock.Elapsed.TotalMilliseconds;
var compileMb = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0 / 1024.0;

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "certus-bench-calendar"));
var summary = BenchmarkRunner.Run<DueBenchmarks>(config, args);

double Median(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median;
double Allocated(string method)
{
    var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
    return report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN;
}

const string dataset = "China standard working week, Asia/Shanghai, 2017-2026 official holidays, compiled 2000-2100";
var results = new[]
{
    new Result("calendar.due", dataset, "p50", Median("Due"), "ns", Median("DayByDayWalk"),
        "one Due (BusinessCalendar, two binary searches) vs a day-by-day walk over the same definition; BenchmarkDotNet ShortRun median"),
    new Result("calendar.due", dataset, "allocated", Allocated("Due"), "B/op", Allocated("DayByDayWalk"), "MemoryDiagnoser"),
    new Result("calendar.compile", dataset, "time", compileMs, "ms", null, $"{compiled.Stretches} working stretches; once per calendar version (CalendarCache)"),
    new Result("calendar.compile", dataset, "allocated", compileMb, "MB", null, "managed allocations while compiling"),
};

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "Certus.slnx")))
{
    root = root.Parent;
}
var path = Path.Combine(root?.FullName ?? ".", "bench", "results", "calendar-due.json");
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-18} {r.Metric,-10} {r.Value,12:0.###} {r.Unit,-5} baseline {r.Baseline?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-"}"));
}
Console.WriteLine($"wrote {path}");

/// <summary>One figure beside the raw-substrate baseline measured in the same run (the format of bench/results).</summary>
internal sealed record Result(string Name, string Dataset, string Metric, double Value, string Unit, double? Baseline, string? Note = null);
