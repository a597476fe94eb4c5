namespace Certus.Kernel.Http;

/// <summary>A record with an optimistic-concurrency version, sent as its ETag and checked against If-Match.</summary>
public interface IVersioned
{
    int Version { get; }
}
