using System.Globalization;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Configuration.Features;

/// <summary>
/// What a failing CI takes down (impact) and what a CI needs (dependencies): the CIs, business services and customer
/// organisations with their agreements, each with the chain of relationships that explains it.
/// </summary>
public sealed class ImpactAnalysis(
    Database database, RelationshipGraph graph, ConfigurationItems items, ICurrentUser caller, IDirectory directory, IServiceProvider services)
{
    public const int DefaultDepth = 6;
    public const int MaxDepth = 12;

    // A walk stops here; the answer says it was cut short.
    private const int Limit = 5_000;

    /// <summary>
    /// One CI on a path, and the relationship that led to it from the previous one: <see cref="Via"/> is the type's
    /// key (null for the starting CI), <see cref="Label"/> reads it from the previous CI to this one in the caller's
    /// language, and <see cref="Inverse"/> says the walk went against the relationship's direction.
    /// </summary>
    public sealed record Step(Guid Id, string Identifier, string Name, string? Via, string? Label, bool Inverse);

    public sealed record AffectedCi(
        Guid Id, string Identifier, string Name, string ClassKey, string ClassName, string Status, string Criticality, int Depth, IReadOnlyList<Step> Path, string Explanation);

    public sealed record AffectedService(Guid CiId, string Identifier, string Name, string? ServiceCode, string? ServiceName, int Depth, IReadOnlyList<Step> Path);

    public sealed record AgreementRef(Guid Id, string Reference, string Title, string? ServiceCode);

    public sealed record AffectedCustomer(Guid OrganisationId, string Name, IReadOnlyList<AgreementRef> Agreements, Guid ViaCiId, string ViaIdentifier, int Depth, IReadOnlyList<Step> Path);

    public sealed record Result(
        Guid CiId, string Identifier, string Name, string Direction, int Depth, IReadOnlyList<AffectedCi> Items, IReadOnlyList<AffectedService> Services,
        IReadOnlyList<AffectedCustomer> Customers, bool Truncated);

    public sealed record GraphNode(Guid Id, string Identifier, string Name, string ClassKey, string ClassName, string Status, string Criticality, int Depth);

    public sealed record GraphLink(Guid Source, Guid Target, string Type, string Label);

    public sealed record Neighbourhood(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphLink> Links, bool Truncated);

    public async Task<Result?> HandleAsync(Guid ciId, int? depth, WalkDirection direction, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        if (await items.GetAsync(connection, null, ciId, model, ct) is not { } start)
        {
            return null;
        }
        var maxDepth = Math.Clamp(depth ?? DefaultDepth, 1, MaxDepth);
        await graph.RefreshAsync(connection, ct);
        var spread = new List<ImpactDirection>();
        var (visits, truncated) = graph.Read(view =>
        {
            for (var t = 0; t < view.TypeCount; t++)
            {
                spread.Add(model.Type(view.TypeKey((byte)t))?.ImpactDirection ?? ImpactDirection.None);
            }
            if (!view.TryIndex(ciId, out var node))
            {
                return (Array.Empty<(Guid, Guid, string, bool, int)>(), false);
            }
            var (walk, cut) = ImpactWalk.Run(view.Outgoing, view.Incoming, spread, node, maxDepth, direction, Limit);
            var result = walk.Select(v => (view.Id(v.Node), view.Id(v.Parent), view.TypeKey(v.Type), v.Inverse, v.Depth)).ToArray();
            return (result, cut);
        });

        var rows = await LoadRowsAsync(connection, [ciId, .. visits.Select(v => v.Item1)], ct);
        var culture = CultureInfo.CurrentUICulture.Name;
        var parents = visits.ToDictionary(v => v.Item1, v => (Parent: v.Item2, Type: v.Item3, Inverse: v.Item4, Depth: v.Item5));
        var own = caller.VisibleOrganisationId;
        bool Visible(Guid id) => own is null || (rows.TryGetValue(id, out var r) && r.Customers.Contains(own.Value));

        List<Step> PathTo(Guid id)
        {
            var path = new List<Step>();
            for (var current = id; ; )
            {
                var row = rows[current];
                if (!parents.TryGetValue(current, out var p))
                {
                    path.Add(new Step(current, row.Identifier, row.Name, null, null, false));
                    break;
                }
                var type = model.Type(p.Type);
                // Read from the previous CI towards this one: walking an edge backwards reads its inverse name.
                var label = type is null ? p.Type : p.Inverse ? type.Inverse(culture) : type.Name(culture);
                // A customer learns that the chain passes through the provider's infrastructure, not what it is.
                path.Add(Visible(current)
                    ? new Step(current, row.Identifier, row.Name, p.Type, label, p.Inverse)
                    : new Step(Guid.Empty, "…", "", p.Type, label, p.Inverse));
                current = p.Parent;
            }
            path.Reverse();
            return path;
        }

        string Explain(IReadOnlyList<Step> path)
        {
            var sentences = new List<string>();
            for (var i = 1; i < path.Count; i++)
            {
                var (from, to) = (path[i - 1], path[i]);
                var type = model.Type(to.Via);
                var name = type?.Name(culture) ?? to.Via;
                // Always say the relationship the way it is recorded: source, type, target.
                sentences.Add(to.Inverse ? $"{to.Identifier} {to.Name} {name} {from.Identifier} {from.Name}" : $"{from.Identifier} {from.Name} {name} {to.Identifier} {to.Name}");
            }
            return string.Join("; ", sentences);
        }

        var affected = visits.Where(v => rows.ContainsKey(v.Item1) && Visible(v.Item1)).Select(v =>
        {
            var row = rows[v.Item1];
            var cls = model.Find(row.ClassId);
            var path = PathTo(v.Item1);
            return new AffectedCi(v.Item1, row.Identifier, row.Name, cls?.Key ?? "", cls?.Name(culture) ?? "", row.Status, row.Criticality, v.Item5, path, Explain(path));
        }).ToList();

        // The failing CI itself counts: a failing business service is its own impact.
        var considered = new List<(Guid Id, int Depth)> { (ciId, 0) };
        considered.AddRange(affected.Select(a => (a.Id, a.Depth)));
        var businessService = model.Find("business-service");
        var codes = considered.Select(c => rows[c.Id].ServiceCode).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var facts = codes.Count > 0 && services.GetService<IServiceLookup>() is { } lookup
            ? (await lookup.FindAsync(codes, ct)).ToDictionary(f => f.Code, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, ServiceFacts>(StringComparer.OrdinalIgnoreCase);
        var serviceList = considered
            .Where(c => rows[c.Id].ServiceCode is not null || (businessService is not null && model.IsA(rows[c.Id].ClassId, businessService.Id)))
            .Select(c =>
            {
                var row = rows[c.Id];
                var fact = row.ServiceCode is { } code ? facts.GetValueOrDefault(code) : null;
                return new AffectedService(c.Id, row.Identifier, row.Name, row.ServiceCode, fact?.Name, c.Depth, PathTo(c.Id));
            }).ToList();

        // Customers: those a reached CI serves, and those that take a reached service; each by its nearest CI.
        var reach = new Dictionary<Guid, (Guid Ci, int Depth)>();
        foreach (var (id, d) in considered)
        {
            var row = rows[id];
            var orgs = row.Customers.Concat(row.ServiceCode is { } code && facts.TryGetValue(code, out var f) ? f.CustomerIds : []);
            foreach (var org in orgs.Where(o => own is null || o == own))
            {
                if (!reach.TryGetValue(org, out var best) || d < best.Depth)
                {
                    reach[org] = (id, d);
                }
            }
        }
        var organisations = await directory.FindOrganisationsAsync(reach.Keys, ct);
        var agreements = reach.Count > 0 && services.GetService<IAgreementLookup>() is { } agreementLookup
            ? await agreementLookup.InForceAsync(reach.Keys, codes, ct)
            : [];
        var customers = reach.Select(r => new AffectedCustomer(
                r.Key, organisations.TryGetValue(r.Key, out var o) ? o.Name : r.Key.ToString(),
                [.. agreements.Where(a => a.OrganisationId == r.Key).Select(a => new AgreementRef(a.Id, a.Reference, a.Title, a.ServiceCode))],
                r.Value.Ci, rows[r.Value.Ci].Identifier, r.Value.Depth, PathTo(r.Value.Ci)))
            .OrderBy(c => c.Depth).ThenBy(c => c.Name, StringComparer.CurrentCulture).ToList();

        return new Result(ciId, start.Identifier, start.Name, direction == WalkDirection.Impact ? "impact" : "dependencies", maxDepth,
            affected, serviceList, customers, truncated);
    }

    /// <summary>The CIs within <paramref name="depth"/> hops of a CI over any relationship, for the graph view.</summary>
    public async Task<Neighbourhood?> NeighbourhoodAsync(Guid ciId, int? depth, int maxNodes = 150, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        if (await items.GetAsync(connection, null, ciId, model, ct) is null)
        {
            return null;
        }
        await graph.RefreshAsync(connection, ct);
        var hops = Math.Clamp(depth ?? 2, 1, 4);
        var (depths, links, truncated) = graph.Read(view =>
        {
            var found = new Dictionary<Guid, int> { [ciId] = 0 };
            var edges = new HashSet<(Guid, Guid, string)>();
            if (!view.TryIndex(ciId, out var start))
            {
                return (found, edges, false);
            }
            var frontier = new List<int> { start };
            var cut = false;
            for (var d = 1; d <= hops && frontier.Count > 0 && !cut; d++)
            {
                var next = new List<int>();
                foreach (var node in frontier)
                {
                    foreach (var (arc, outgoing) in view.Outgoing(node).Select(a => (a, true)).Concat(view.Incoming(node).Select(a => (a, false))))
                    {
                        var other = view.Id(arc.Node);
                        if (!found.ContainsKey(other))
                        {
                            if (found.Count >= maxNodes)
                            {
                                cut = true;
                                continue;
                            }
                            found[other] = d;
                            next.Add(arc.Node);
                        }
                        var self = view.Id(node);
                        edges.Add(outgoing ? (self, other, view.TypeKey(arc.Type)) : (other, self, view.TypeKey(arc.Type)));
                    }
                }
                frontier = next;
            }
            return (found, edges, cut);
        });
        var rows = await LoadRowsAsync(connection, [.. depths.Keys], ct);
        var own = caller.VisibleOrganisationId;
        bool Visible(Guid id) => rows.TryGetValue(id, out var r) && (own is null || r.Customers.Contains(own.Value));
        var culture = CultureInfo.CurrentUICulture.Name;
        var nodes = depths.Where(d => Visible(d.Key)).Select(d =>
        {
            var row = rows[d.Key];
            var cls = model.Find(row.ClassId);
            return new GraphNode(d.Key, row.Identifier, row.Name, cls?.Key ?? "", cls?.Name(culture) ?? "", row.Status, row.Criticality, d.Value);
        }).OrderBy(n => n.Depth).ThenBy(n => n.Identifier, StringComparer.Ordinal).ToList();
        var graphLinks = links.Where(l => depths.ContainsKey(l.Item1) && depths.ContainsKey(l.Item2) && Visible(l.Item1) && Visible(l.Item2))
            .Select(l => new GraphLink(l.Item1, l.Item2, l.Item3, model.Type(l.Item3)?.Name(culture) ?? l.Item3)).ToList();
        return new Neighbourhood(nodes, graphLinks, truncated);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Identifier { get; init; } = "";
        public string Name { get; init; } = "";
        public Guid ClassId { get; init; }
        public string Status { get; init; } = "";
        public string Criticality { get; init; } = "";
        public string? ServiceCode { get; init; }
        public HashSet<Guid> Customers { get; } = [];
    }

    private async Task<Dictionary<Guid, Row>> LoadRowsAsync(System.Data.Common.DbConnection connection, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var rows = new Dictionary<Guid, Row>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(900))
        {
            foreach (var row in await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT id, identifier, name, class_id, status, criticality, service_code FROM cmdb_items WHERE {database.Dialect.In("id", "ids")}",
                new { ids = chunk }, cancellationToken: ct)))
            {
                rows[row.Id] = row;
            }
            foreach (var (ci, organisation) in await connection.QueryAsync<(Guid, Guid)>(new CommandDefinition(
                $"SELECT ci_id, organisation_id FROM cmdb_item_customers WHERE {database.Dialect.In("ci_id", "ids")}", new { ids = chunk }, cancellationToken: ct)))
            {
                rows[ci].Customers.Add(organisation);
            }
        }
        return rows;
    }
}
