using Certus.Data;
using Certus.Kernel.Security;
using Certus.Incidents.Domain;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Certus.Incidents.Features;

/// <summary>Bound from <c>Certus:Incidents</c>.</summary>
public sealed class IncidentOptions
{
    public const string Section = "Certus:Incidents";

    /// <summary>A resolved incident whose caller says nothing for this long is closed (manual §7.2.4).</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often resolved incidents are checked for the quiet period.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest attachment accepted.</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Closes resolved incidents after the quiet period with no reply. Each close goes through
/// <see cref="MoveIncident"/> (AutoClose), with its version check, so two instances never close one twice.
/// </summary>
public sealed class CloseQuietIncidents(IServiceScopeFactory scopes, IOptions<IncidentOptions> options, TimeProvider clock) : IRepeatingWork
{
    /// <summary>Its job in the platform's scheduler.</summary>
    public static readonly Quartz.JobKey Job = new("close-quiet", "incidents");

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var cutoff = clock.GetUtcNow() - options.Value.QuietPeriod;
        IReadOnlyList<Guid> due;
        await using (var connection = await database.OpenAsync(ct))
        {
            due = (await connection.QueryAsync<Guid>(new CommandDefinition(
                """
                SELECT i.id FROM inc_incidents i
                WHERE i.status = @resolved AND i.resolved_at < @cutoff
                  AND NOT EXISTS (SELECT 1 FROM inc_comments c WHERE c.incident_id = i.id AND c.is_customer = @yes AND c.created_at > i.resolved_at AND c.created_at > @cutoff)
                LIMIT 500
                """, new { resolved = IncidentStatus.Resolved.Key(), cutoff, yes = true }, cancellationToken: ct))).ToList();
        }
        var closed = 0;
        var move = services.GetRequiredService<MoveIncident>();
        foreach (var id in due)
        {
            var outcome = await move.HandleAsync(id, IncidentTrigger.AutoClose,
                new MoveIncident.Request(Reason: string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"解决后 {options.Value.QuietPeriod.TotalDays:0.#} 天内报告人未回复，自动关闭。Closed: no reply from the caller within {options.Value.QuietPeriod.TotalDays:0.#} days of the resolution.")), ct: ct);
            closed += outcome.Succeeded ? 1 : 0;
        }
        return closed;
    }
}
