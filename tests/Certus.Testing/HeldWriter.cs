using Certus.Data;

namespace Certus.Testing;

/// <summary>
/// A write held open on the database until disposed: what a read must not wait behind (on SQLite, a plain BEGIN takes
/// the write lock and would queue behind the group-commit writer).
/// </summary>
public sealed class HeldWriter : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<int> _writer;

    private HeldWriter(Database database, TaskCompletionSource held) =>
        _writer = database.WriteAsync(async (_, _) =>
        {
            held.SetResult();
            await _release.Task;
            return 0;
        });

    /// <summary>Whether the writer has let go: a read that finished while this is false did not wait for it.</summary>
    public bool IsCompleted => _writer.IsCompleted;

    /// <summary>Opens the write and returns once it holds the database, or fails after <paramref name="patience"/>.</summary>
    public static async Task<HeldWriter> StartAsync(Database database, TimeSpan patience)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new HeldWriter(database, held);
        try
        {
            await held.Task.WaitAsync(patience);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _writer;
    }
}
