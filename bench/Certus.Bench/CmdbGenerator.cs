namespace Certus.Bench;

/// <summary>
/// A deterministic IDC: data centres, racks fed by power facilities, a two-tier network, servers, storage, virtual
/// machines, databases, applications and business services, with licences, contracts and documents, related the way
/// the shipped class rules allow. Relationships that carry failures come first; the rest (documented in, covered by)
/// fill up to the requested count.
/// </summary>
public static class CmdbGenerator
{
    public sealed record Ci(Guid Id, string Identifier, string Name, string Class, string Location, string Criticality, string? ServiceCode);

    public sealed record Edge(Guid Id, Guid Source, Guid Target, string Type);

    public sealed record Graph(List<Ci> Items, List<Edge> Edges, List<(Guid Ci, Guid Organisation)> Customers);

    private static readonly (string Class, string Prefix, double Share)[] Mix =
    [
        ("data-centre", "DC", 0.00002), ("rack", "RCK", 0.01), ("facility", "FAC", 0.004), ("network-device", "NET", 0.02), ("server", "SRV", 0.2),
        ("storage", "STO", 0.01), ("virtual-machine", "VM", 0.4), ("database", "DB", 0.075), ("application", "APP", 0.2), ("business-service", "BSV", 0.015),
        ("licence", "LIC", 0.03), ("document", "DOC", 0.02), ("contract", "CTR", 0.0),
    ];

    private static readonly string[] Criticalities = ["critical", "high", "medium", "medium", "low"];

    public static Graph Generate(int total, int relationships, IReadOnlyList<Guid> customers)
    {
        var random = new Random(20261121);
        var items = new List<Ci>(total);
        var byClass = new Dictionary<string, List<Ci>>(StringComparer.Ordinal);
        foreach (var (cls, prefix, share) in Mix)
        {
            var count = cls == "contract" ? total - items.Count : Math.Max(cls == "data-centre" ? 4 : 1, (int)(total * share));
            var list = new List<Ci>(count);
            for (var i = 1; i <= count; i++)
            {
                var ci = new Ci(NewId(random), $"{prefix}-{i:D6}", $"{cls}-{i:D6}", cls, $"DC{1 + (i % 4)} room {1 + (i % 12)}", Criticalities[random.Next(Criticalities.Length)], null);
                list.Add(ci);
                items.Add(ci);
            }
            byClass[cls] = list;
        }
        var edges = new List<Edge>(relationships);
        var pairs = new HashSet<(Guid, Guid, string)>();
        void Relate(Ci source, Ci target, string type)
        {
            if (edges.Count < relationships && source.Id != target.Id && pairs.Add((source.Id, target.Id, type)))
            {
                edges.Add(new Edge(NewId(random), source.Id, target.Id, type));
            }
        }
        Ci Pick(string cls) => byClass[cls][random.Next(byClass[cls].Count)];
        var network = byClass["network-device"];
        var core = network.Take(Math.Max(2, network.Count / 20)).ToList();
        var access = network.Skip(core.Count).ToList();
        Ci Access() => access[random.Next(access.Count)];

        foreach (var rack in byClass["rack"])
        {
            Relate(rack, Pick("data-centre"), "hosted-in");
            Relate(rack, Pick("facility"), "powered-by");
            Relate(rack, Pick("facility"), "powered-by");
        }
        foreach (var facility in byClass["facility"])
        {
            Relate(facility, Pick("data-centre"), "hosted-in");
        }
        foreach (var device in network)
        {
            Relate(device, Pick("rack"), "hosted-in");
        }
        foreach (var device in access)
        {
            Relate(device, core[random.Next(core.Count)], "connected-to");
            Relate(device, core[random.Next(core.Count)], "connected-to");
        }
        foreach (var box in byClass["server"].Concat(byClass["storage"]))
        {
            Relate(box, Pick("rack"), "hosted-in");
            Relate(box, Access(), "connected-to");
            Relate(box, Access(), "connected-to");
            Relate(box, Pick("facility"), "powered-by");
        }
        foreach (var vm in byClass["virtual-machine"])
        {
            Relate(vm, Pick("server"), "runs-on");
            Relate(vm, Access(), "connected-to");
        }
        foreach (var db in byClass["database"])
        {
            Relate(db, Pick("virtual-machine"), "runs-on");
            Relate(db, Pick("storage"), "depends-on");
            Relate(db, Pick("storage"), "backed-up-by");
            Relate(db, Pick("licence"), "licensed-by");
        }
        var applications = byClass["application"];
        for (var i = 0; i < applications.Count; i++)
        {
            var app = applications[i];
            Relate(app, Pick("virtual-machine"), "runs-on");
            Relate(app, Pick("database"), "uses");
            Relate(app, Pick("database"), "uses");
            Relate(app, Pick("storage"), "uses");
            Relate(app, Access(), "depends-on");
            if (i > 0 && random.NextDouble() < 0.5)
            {
                // Only on applications registered earlier: the depends-on graph stays acyclic, as the type requires.
                Relate(app, applications[random.Next(i)], "depends-on");
            }
            Relate(app, Pick("licence"), "licensed-by");
        }
        var customersOf = new List<(Guid, Guid)>();
        foreach (var service in byClass["business-service"])
        {
            for (var k = 0; k < 5; k++)
            {
                Relate(service, applications[random.Next(applications.Count)], "depends-on");
            }
            customersOf.Add((service.Id, customers[random.Next(customers.Count)]));
        }
        foreach (var db in byClass["database"].Where(_ => random.NextDouble() < 0.3))
        {
            customersOf.Add((db.Id, customers[random.Next(customers.Count)]));
        }
        foreach (var box in byClass["server"].Concat(network).Concat(byClass["storage"]))
        {
            Relate(box, Pick("contract"), "covered-by");
        }
        // Fill up with documentation links, which carry no failure.
        while (edges.Count < relationships)
        {
            Relate(items[random.Next(items.Count)], Pick("document"), "documented-in");
        }
        return new Graph(items, edges, customersOf);
    }

    private static Guid NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
