using Certus.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certus.Configuration.Features;

/// <summary>
/// Loads the relationship graph once the host has started, so the first agent to ask for an impact analysis after
/// a restart does not wait for a million relationships to be read (about 6 s on SQLite).
/// </summary>
public sealed partial class WarmRelationshipGraph(Database database, RelationshipGraph graph, ILogger<WarmRelationshipGraph> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(stoppingToken);
            await graph.RefreshAsync(connection, stoppingToken);
            Loaded(log, graph.EdgeCount);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not fatal: the first impact query loads the graph itself.
            WarmUpFailed(log, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relationship graph loaded: {Edges} relationships")]
    private static partial void Loaded(ILogger logger, int edges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the relationship graph at start failed")]
    private static partial void WarmUpFailed(ILogger logger, Exception exception);
}
