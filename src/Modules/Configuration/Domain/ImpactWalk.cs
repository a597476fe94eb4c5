namespace Certus.Configuration.Domain;

/// <summary>Which way a walk goes: what a failure takes down, or what a CI needs to work.</summary>
public enum WalkDirection
{
    Impact,
    Dependencies,
}

/// <summary>
/// Breadth-first walk over an adjacency structure indexed by node number, following each relationship type only in
/// the direction its <see cref="ImpactDirection"/> spreads a failure. Kept free of I/O so the benchmark can time it
/// beside a plain BFS.
/// </summary>
public static class ImpactWalk
{
    /// <summary>
    /// How <see cref="Node"/> was reached: from <see cref="Parent"/> over an edge of <see cref="Type"/>, at <see cref="Depth"/>
    /// hops; <see cref="Inverse"/> when the walk went from the edge's target to its source.
    /// </summary>
    public readonly record struct Visit(int Node, int Parent, byte Type, bool Inverse, int Depth);

    /// <summary>An edge as seen from one node: the node at the other end and the relationship type's index.</summary>
    public readonly record struct Arc(int Node, byte Type);

    /// <summary>
    /// Walks from <paramref name="start"/> up to <paramref name="maxDepth"/> hops; returns every node reached (the start
    /// excluded) in breadth-first order, each with how it was first reached, so each has a shortest explaining path.
    /// </summary>
    /// <param name="outgoing">Edges leaving a node (it is their source).</param>
    /// <param name="incoming">Edges arriving at a node (it is their target).</param>
    /// <param name="spread">The impact direction of each type index.</param>
    /// <param name="start">The node the walk starts from.</param>
    /// <param name="maxDepth">How many hops to go at most.</param>
    /// <param name="direction">Impact or dependencies.</param>
    /// <param name="limit">Stop after this many nodes (the result says whether it stopped early).</param>
    public static (IReadOnlyList<Visit> Visits, bool Truncated) Run<TList>(
        Func<int, TList> outgoing, Func<int, TList> incoming, IReadOnlyList<ImpactDirection> spread, int start, int maxDepth, WalkDirection direction, int limit)
        where TList : IReadOnlyList<Arc>
    {
        var visits = new List<Visit>();
        var seen = new HashSet<int> { start };
        var frontier = new List<int> { start };
        for (var depth = 1; depth <= maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<int>();
            foreach (var node in frontier)
            {
                // Impact: a failing target takes down sources of "source"-spreading types; a failing source takes down
                // targets of "target"-spreading types. Dependencies walk the same edges the other way.
                var (forwardSpread, backwardSpread) = direction == WalkDirection.Impact
                    ? (ImpactDirection.Target, ImpactDirection.Source)
                    : (ImpactDirection.Source, ImpactDirection.Target);
                var outs = outgoing(node);
                for (var i = 0; i < outs.Count; i++)
                {
                    var arc = outs[i];
                    if (Spreads(spread[arc.Type], forwardSpread) && seen.Add(arc.Node))
                    {
                        visits.Add(new Visit(arc.Node, node, arc.Type, false, depth));
                        next.Add(arc.Node);
                        if (visits.Count >= limit)
                        {
                            return (visits, true);
                        }
                    }
                }
                var ins = incoming(node);
                for (var i = 0; i < ins.Count; i++)
                {
                    var arc = ins[i];
                    if (Spreads(spread[arc.Type], backwardSpread) && seen.Add(arc.Node))
                    {
                        visits.Add(new Visit(arc.Node, node, arc.Type, true, depth));
                        next.Add(arc.Node);
                        if (visits.Count >= limit)
                        {
                            return (visits, true);
                        }
                    }
                }
            }
            frontier = next;
        }
        return (visits, false);
    }

    private static bool Spreads(ImpactDirection type, ImpactDirection wanted) => type == wanted || type == ImpactDirection.Both;
}
