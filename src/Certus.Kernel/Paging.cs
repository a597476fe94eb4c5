namespace Certus.Kernel;

/// <summary>
/// A page of a list and the total number of matching items. Where counting every match would cost more than
/// showing the page (a search over a million incidents), <see cref="Total"/> stops at a cap and
/// <see cref="TotalCapped"/> says so ("10,000+").
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int PageNumber, int PageSize, bool TotalCapped = false);

/// <summary>Page number (from 1) and size, clamped to sane bounds.</summary>
public readonly record struct PageRequest(int Number, int Size)
{
    public const int MaxSize = 200;

    public static PageRequest From(int? page, int? pageSize) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 50, 1, MaxSize));

    public int Offset => (Number - 1) * Size;
}
