using System.Text.Json;

namespace Certus.Bench;

/// <summary>One measured figure beside the raw-substrate baseline measured in the same run.</summary>
public sealed record Result(string Name, string Dataset, string Metric, double Value, string Unit, double? Baseline, string? Note = null);

public static class Results
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(string file, IReadOnlyList<Result> results)
    {
        var folder = Path.Combine(Testing.RepositoryPaths.Root, "bench", "results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, file);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Json));
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-34} {r.Dataset,-22} {r.Metric,-16} {r.Value,12:0.###} {r.Unit,-10} baseline {r.Baseline?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        }
        Console.WriteLine($"wrote {path}");
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
