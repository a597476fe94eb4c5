namespace Certus.Kernel.Modules;

/// <summary>
/// Rows a module keeps only for a while (such as Idempotency-Key records), let go of by the host's housekeeping job:
/// every registered housekeeping runs once an hour, as the system, on one instance of a cluster at a time.
/// </summary>
public interface IHousekeeping
{
    /// <summary>What is purged, for the log, such as <c>inc_idempotency</c>.</summary>
    string Name { get; }

    /// <summary>Deletes what has expired at <paramref name="now"/>; returns how many rows went.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct);
}
