using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Certus.Compliance.Features;

/// <summary>A text in both languages.</summary>
public sealed class Bilingual
{
    public string En { get; set; } = "";
    public string Zh { get; set; } = "";

    public string In(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Zh : En;
}

/// <summary>One clause as the catalogue describes it.</summary>
public sealed class Clause
{
    public string Number { get; set; } = "";
    public Bilingual Title { get; set; } = new();
    public Bilingual Summary { get; set; } = new();

    /// <summary>Clauses of the other edition that cover the same ground.</summary>
    public List<string> Maps { get; set; } = [];

    /// <summary>The clause this one belongs to, or null for a top-level clause.</summary>
    public string? Parent => Number.LastIndexOf('.') is var dot and > 0 ? Number[..dot] : null;

    public int Depth => Number.Count(c => c == '.') + 1;
}

/// <summary>One edition's catalogue file.</summary>
public sealed class Edition
{
    public string Key { get; set; } = "";
    public string Title { get; set; } = "";
    public List<Clause> Clauses { get; set; } = [];

    public Clause? Find(string number) => Clauses.FirstOrDefault(c => c.Number == number);

    public IEnumerable<Clause> Children(string number) => Clauses.Where(c => c.Parent == number);
}

/// <summary>
/// The clauses of ISO/IEC 20000-1 in both editions (2018: 4-10; 2005: 3-10), loaded once from the YAML files shipped
/// in <c>data/clauses</c>. Each requirement is described in Certus's own words: the standard's text is copyrighted.
/// </summary>
public sealed class ClauseCatalogue
{
    public static readonly IReadOnlyList<string> Editions = ["2018", "2005"];

    private readonly Dictionary<string, Edition> _editions = new(StringComparer.Ordinal);

    public ClauseCatalogue()
    {
        var yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        foreach (var key in Editions)
        {
            using var stream = typeof(ClauseCatalogue).Assembly.GetManifestResourceStream($"clauses/iso20000-1-{key}.yaml")
                ?? throw new InvalidOperationException($"The clause catalogue of edition {key} is not embedded.");
            using var reader = new StreamReader(stream);
            var file = yaml.Deserialize<CatalogueFile>(reader);
            _editions[key] = new Edition { Key = file.Edition, Title = file.Title, Clauses = file.Clauses };
        }
    }

    public Edition this[string edition] => _editions[edition];

    public static bool IsEdition(string? edition) => edition is not null && Editions.Contains(edition, StringComparer.Ordinal);

    public static string Other(string edition) => edition == "2018" ? "2005" : "2018";

    /// <summary>The clauses of <paramref name="edition"/> that a clause of the other edition maps to, both ways.</summary>
    public IReadOnlyList<string> MappedInto(string edition, string otherNumber)
    {
        var other = _editions[Other(edition)].Find(otherNumber);
        var forward = other?.Maps ?? [];
        var backward = _editions[edition].Clauses.Where(c => c.Maps.Contains(otherNumber, StringComparer.Ordinal)).Select(c => c.Number);
        return [.. forward.Concat(backward).Distinct(StringComparer.Ordinal)];
    }

    private sealed class CatalogueFile
    {
        public string Edition { get; set; } = "";
        public string Title { get; set; } = "";
        public List<Clause> Clauses { get; set; } = [];
    }
}
