using System.Globalization;

namespace Certus.Changes.Domain;

/// <summary>Wire names (kebab case) of the change enums, shared by the API, pages and SQL.</summary>
public static class ChangeNames
{
    public static string Key(this ChangeType type) => type switch
    {
        ChangeType.Standard => "standard",
        ChangeType.Normal => "normal",
        ChangeType.Emergency => "emergency",
    };

    public static string Key(this ChangeState state) => state switch
    {
        ChangeState.Draft => "draft",
        ChangeState.Submitted => "submitted",
        ChangeState.Assessed => "assessed",
        ChangeState.Authorised => "authorised",
        ChangeState.Rejected => "rejected",
        ChangeState.Scheduled => "scheduled",
        ChangeState.Implementing => "implementing",
        ChangeState.Implemented => "implemented",
        ChangeState.Failed => "failed",
        ChangeState.BackedOut => "backed-out",
        ChangeState.Reviewed => "reviewed",
        ChangeState.Closed => "closed",
        ChangeState.Cancelled => "cancelled",
    };

    public static string Key(this ChangeTrigger trigger) => trigger switch
    {
        ChangeTrigger.Submit => "submit",
        ChangeTrigger.Assess => "assess",
        ChangeTrigger.Authorise => "authorise",
        ChangeTrigger.Reject => "reject",
        ChangeTrigger.Schedule => "schedule",
        ChangeTrigger.Implement => "implement",
        ChangeTrigger.Complete => "complete",
        ChangeTrigger.Fail => "fail",
        ChangeTrigger.BackOut => "back-out",
        ChangeTrigger.Review => "review",
        ChangeTrigger.Close => "close",
        ChangeTrigger.Cancel => "cancel",
    };

    public static ChangeType? ParseType(string? key) => Parse<ChangeType>(key, Key);

    public static ChangeState? ParseState(string? key) => Parse<ChangeState>(key, Key);

    public static ChangeTrigger? ParseTrigger(string? key) => Parse<ChangeTrigger>(key, Key);

    public static IReadOnlyList<string> Keys<T>(Func<T, string> key) where T : struct, Enum => Enum.GetValues<T>().Select(key).ToList();

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        key is null ? null : Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(name(v!.Value), key.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The human number of a change, <c>CHG-000123</c>.</summary>
public readonly record struct ChangeNumber(long Value)
{
    public const string Prefix = "CHG-";

    public override string ToString() => Prefix + Value.ToString("D6", CultureInfo.InvariantCulture);

    public static ChangeNumber? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (!t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return long.TryParse(t[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? new ChangeNumber(n) : null;
    }
}
