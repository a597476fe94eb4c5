namespace Certus.Configuration.Features;

/// <summary>
/// The columns of the CI file that import reads and export writes (so an export imports back unchanged), with
/// their English and Chinese headers; either language is read, whatever the caller's own.
/// </summary>
public static class CiColumns
{
    public const string Identifier = "identifier";
    public const string Class = "class";
    public const string Name = "name";
    public const string Status = "status";
    public const string Owner = "owner";
    public const string SupportGroup = "supportGroup";
    public const string Location = "location";
    public const string VersionLabel = "versionLabel";
    public const string Criticality = "criticality";
    public const string Description = "description";
    public const string ServiceCode = "serviceCode";
    public const string Customers = "customers";

    /// <summary>One column per class attribute: <c>attr.cpuCores</c>, or <c>属性.cpuCores</c> in Chinese.</summary>
    public const string AttributePrefix = "attr.";
    public const string AttributePrefixZh = "属性.";

    public const string CiSheet = "cis";
    public const string RelationshipSheet = "relationships";
    public const string Source = "sourceIdentifier";
    public const string Type = "type";
    public const string Target = "targetIdentifier";

    /// <summary>The fixed columns in file order, each with its Chinese header.</summary>
    public static readonly IReadOnlyList<(string Key, string Zh)> Fields =
    [
        (Identifier, "标识"), (Class, "分类"), (Name, "名称"), (Status, "状态"), (Owner, "负责人"), (SupportGroup, "支持组"), (Location, "位置"),
        (VersionLabel, "版本"), (Criticality, "重要性"), (Description, "描述"), (ServiceCode, "服务代码"), (Customers, "客户"),
    ];

    public static readonly IReadOnlyList<(string Key, string Zh)> RelationshipFields =
        [(Source, "源标识"), (Type, "关系类型"), (Target, "目标标识")];

    /// <summary>Sheet names in Chinese, for workbooks exported with Chinese headers.</summary>
    public static readonly IReadOnlyDictionary<string, string> SheetsZh = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CiSheet] = "配置项", [RelationshipSheet] = "关系",
    };

    private static readonly Dictionary<string, string> ByHeader = BuildIndex(Fields);
    private static readonly Dictionary<string, string> RelationshipByHeader = BuildIndex(RelationshipFields);

    private static Dictionary<string, string> BuildIndex(IReadOnlyList<(string Key, string Zh)> fields)
    {
        var index = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, zh) in fields)
        {
            index[key] = key;
            index[zh] = key;
        }
        return index;
    }

    /// <summary>The column a header names (<c>name</c>, <c>attr.cpuCores</c>), or null for a header that is not one.</summary>
    public static string? Canonical(string header)
    {
        var h = header.Trim();
        if (ByHeader.TryGetValue(h, out var key))
        {
            return key;
        }
        foreach (var prefix in new[] { AttributePrefix, AttributePrefixZh })
        {
            if (h.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && h.Length > prefix.Length)
            {
                return AttributePrefix + h[prefix.Length..].Trim();
            }
        }
        return null;
    }

    public static string? CanonicalRelationship(string header) => RelationshipByHeader.GetValueOrDefault(header.Trim());

    public static bool IsSheet(string sheetName, string key) =>
        string.Equals(sheetName.Trim(), key, StringComparison.OrdinalIgnoreCase) || string.Equals(sheetName.Trim(), SheetsZh[key], StringComparison.Ordinal);

    /// <summary>The header of a column in the language asked for.</summary>
    public static string Header(string key, bool chinese)
    {
        if (!chinese)
        {
            return key;
        }
        if (key.StartsWith(AttributePrefix, StringComparison.Ordinal))
        {
            return AttributePrefixZh + key[AttributePrefix.Length..];
        }
        foreach (var (k, zh) in Fields.Concat(RelationshipFields))
        {
            if (k == key)
            {
                return zh;
            }
        }
        return key;
    }

    public static string SheetName(string key, bool chinese) => chinese ? SheetsZh[key] : key;

    /// <summary>The column a use-case field names: <c>ownerId</c> is the <c>owner</c> column, <c>attributes.x</c> is <c>attr.x</c>.</summary>
    public static string ColumnOfField(string field) => field switch
    {
        "classId" => Class,
        "ownerId" => Owner,
        "supportGroupId" => SupportGroup,
        "customerIds" => Customers,
        _ when field.StartsWith("attributes.", StringComparison.Ordinal) => AttributePrefix + field["attributes.".Length..],
        _ => field,
    };
}
