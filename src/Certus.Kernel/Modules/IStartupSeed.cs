namespace Certus.Kernel.Modules;

/// <summary>
/// Data a module needs before anyone signs in (the shipped calendars, the CI class model). The host runs every
/// registered seed once per start, as the system, under its start-up lock; a seed does nothing when its data exists.
/// </summary>
public interface IStartupSeed
{
    Task SeedAsync(CancellationToken ct);
}
