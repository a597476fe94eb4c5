using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Certus.Web.Platform;

/// <summary>
/// Collects System.Diagnostics.Metrics instruments (ASP.NET Core's request metrics and the Certus.* meters
/// modules publish) and renders them in the Prometheus text format for <c>/metrics</c>. No Prometheus
/// exporter package is served by the registry we build from (ADR 0004), so this is the small part we write.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    public const string CertusMeterPrefix = "Certus";

    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", CertusMeterPrefix];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();

    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Any(m => instrument.Meter.Name.StartsWith(m, StringComparison.Ordinal)))
            {
                _series.TryAdd(instrument, new Series(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var output = new StringBuilder();
        foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            series.Write(output);
        }
        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Add(value, tags);
        }
    }

    private sealed class Series
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
        private readonly bool _histogram;
        private readonly bool _counter;
        private readonly bool _replace;
        private readonly string? _description;

        public Series(Instrument instrument)
        {
            _histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            _counter = instrument.GetType().Name is "Counter`1" or "ObservableCounter`1";
            // Observable instruments report their current value (or running total) at each collection.
            _replace = instrument.IsObservable;
            _description = instrument.Description;
            var name = Sanitize(instrument.Name);
            if (instrument.Unit == "s")
            {
                name += "_seconds";
            }
            else if (instrument.Unit == "By")
            {
                name += "_bytes";
            }
            Name = _counter ? name + "_total" : name;
        }

        public string Name { get; }

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var cell = _cells.GetOrAdd(labels, _ => new Cell(_histogram ? Buckets.Length : 0));
            cell.Add(value, _histogram, _replace);
        }

        public void Write(StringBuilder output)
        {
            if (_cells.IsEmpty)
            {
                return;
            }
            var type = _histogram ? "histogram" : _counter ? "counter" : "gauge";
            if (!string.IsNullOrEmpty(_description))
            {
                output.Append("# HELP ").Append(Name).Append(' ').Append(_description.Replace('\n', ' ')).Append('\n');
            }
            output.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, cell) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                lock (cell.Gate)
                {
                    if (!_histogram)
                    {
                        output.Append(Name).Append(Braces(labels)).Append(' ').Append(Number(cell.Sum)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (var b = 0; b < Buckets.Length; b++)
                    {
                        cumulative += cell.Counts[b];
                        output.Append(Name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(Buckets[b])}\"")))
                            .Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                    output.Append(Name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ')
                        .Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    output.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(cell.Sum)).Append('\n');
                    output.Append(Name).Append("_count").Append(Braces(labels)).Append(' ')
                        .Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }
            var pairs = new List<string>(tags.Length);
            foreach (var tag in tags)
            {
                var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
                pairs.Add($"{Sanitize(tag.Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
            }
            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Sanitize(string name)
        {
            var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray();
            return new string(chars);
        }
    }

    private sealed class Cell(int buckets)
    {
        public Lock Gate { get; } = new();
        public long[] Counts { get; } = new long[buckets];
        public long Count { get; private set; }
        public double Sum { get; private set; }

        public void Add(double value, bool histogram, bool replace)
        {
            lock (Gate)
            {
                Count++;
                Sum = replace ? value : Sum + value;
                if (!histogram)
                {
                    return;
                }
                for (var b = 0; b < Buckets.Length; b++)
                {
                    if (value <= Buckets[b])
                    {
                        Counts[b]++;
                        break;
                    }
                }
            }
        }
    }
}
