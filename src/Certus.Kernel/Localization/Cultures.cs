namespace Certus.Kernel.Localization;

/// <summary>The languages Certus speaks.</summary>
public static class Cultures
{
    public const string English = "en-US";
    public const string Chinese = "zh-CN";

    public static readonly IReadOnlyList<string> Supported = [Chinese, English];

    public static bool IsSupported(string? culture) => culture is not null && Supported.Contains(culture, StringComparer.Ordinal);
}
