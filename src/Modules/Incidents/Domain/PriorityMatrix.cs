namespace Certus.Incidents.Domain;

/// <summary>
/// Impact × urgency → priority 1 (highest) to 5. The default is the usual 3×3; an organisation edits its own
/// in the incident settings.
/// </summary>
public sealed class PriorityMatrix
{
    private readonly Dictionary<(Level Impact, Level Urgency), int> _cells;

    public PriorityMatrix(IReadOnlyDictionary<(Level Impact, Level Urgency), int> cells)
    {
        foreach (var impact in Enum.GetValues<Level>())
        {
            foreach (var urgency in Enum.GetValues<Level>())
            {
                if (!cells.TryGetValue((impact, urgency), out var p) || p is < 1 or > 5)
                {
                    throw new ArgumentException($"The matrix needs a priority 1-5 for impact {impact.Key()} and urgency {urgency.Key()}.", nameof(cells));
                }
            }
        }
        _cells = new Dictionary<(Level, Level), int>(cells);
    }

    public static PriorityMatrix Default { get; } = new(new Dictionary<(Level, Level), int>
    {
        [(Level.High, Level.High)] = 1,
        [(Level.High, Level.Medium)] = 2,
        [(Level.High, Level.Low)] = 3,
        [(Level.Medium, Level.High)] = 2,
        [(Level.Medium, Level.Medium)] = 3,
        [(Level.Medium, Level.Low)] = 4,
        [(Level.Low, Level.High)] = 3,
        [(Level.Low, Level.Medium)] = 4,
        [(Level.Low, Level.Low)] = 5,
    });

    public int PriorityOf(Level impact, Level urgency) => _cells[(impact, urgency)];

    public IReadOnlyDictionary<(Level Impact, Level Urgency), int> Cells => _cells;
}
