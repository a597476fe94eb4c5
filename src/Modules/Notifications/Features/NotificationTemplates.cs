using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Localization;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Notifications.Features;

/// <summary>A template as it is used: the administrator's override if there is one, else the module's default.</summary>
public sealed record TemplateView(
    string Key, string Culture, string Subject, string Body, bool IsOverridden, int Version, string DefaultSubject, string DefaultBody) : IVersioned;

/// <summary>
/// The templates modules ship (<see cref="NotificationTemplateDefault"/>) and administrators' overrides in
/// <c>ntf_templates</c>. A template that was never edited has version 0; each save adds one.
/// </summary>
public sealed class NotificationTemplates(
    Database database, IEnumerable<NotificationTemplateDefault> defaults, TemplateRenderer renderer, AuditTrail audit, ICurrentUser caller,
    TimeProvider clock, Texts<Strings> text)
{
    public const int MaxSubject = 300;
    public const int MaxBody = 20_000;

    public sealed record Request(string? Subject, string? Body);

    private IReadOnlyDictionary<(string Key, string Culture), NotificationTemplateDefault> Defaults { get; } =
        defaults.GroupBy(d => (d.Key, d.Culture)).ToDictionary(g => g.Key, g => g.Last());

    public async Task<IReadOnlyList<TemplateView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var overrides = (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT template_key, culture, subject, body, version FROM ntf_templates", cancellationToken: ct)))
            .ToDictionary(r => (r.TemplateKey, r.Culture));
        return Defaults.Values
            .OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Culture, StringComparer.Ordinal)
            .Select(d => View(d, overrides.GetValueOrDefault((d.Key, d.Culture))))
            .ToList();
    }

    public async Task<TemplateView?> GetAsync(string key, string culture, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindAsync(connection, null, key, culture, ct);
    }

    /// <summary>The template for <paramref name="key"/> in <paramref name="culture"/>, falling back to the other language.</summary>
    internal async Task<TemplateView?> ForSendingAsync(DbConnection connection, DbTransaction? tx, string key, string culture, CancellationToken ct)
    {
        return await FindAsync(connection, tx, key, culture, ct)
            ?? await FindAsync(connection, tx, key, culture == Cultures.Chinese ? Cultures.English : Cultures.Chinese, ct);
    }

    public bool Exists(string key) => Defaults.Keys.Any(k => string.Equals(k.Key, key, StringComparison.Ordinal));

    /// <summary>Saves an override; 412 when <paramref name="version"/> is not the one stored, 422 when it does not compile.</summary>
    public async Task<Outcome<TemplateView>> SaveAsync(string key, string culture, int version, Request request, CancellationToken ct = default)
    {
        if (!Defaults.ContainsKey((key, culture)))
        {
            return text.NotFound();
        }
        var errors = text.Errors().Required("subject", request.Subject, MaxSubject).Required("body", request.Body, MaxBody);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var subject = request.Subject!.Trim();
        var body = request.Body!.Replace("\r\n", "\n", StringComparison.Ordinal);
        var broken = text.Errors();
        if (renderer.Check(subject) is { } subjectError)
        {
            broken.AddMessage("subject", text["Template.DoesNotCompile", subjectError]);
        }
        if (renderer.Check(body) is { } bodyError)
        {
            broken.AddMessage("body", text["Template.DoesNotCompile", bodyError]);
        }
        if (!broken.IsEmpty)
        {
            return new Failure(FailureKind.Unprocessable, text["Template.Invalid"], broken.ToDictionary());
        }
        return await database.WriteAsync<Outcome<TemplateView>>(async (connection, tx) =>
        {
            var current = await FindAsync(connection, tx, key, culture, ct);
            if (current is null || current.Version != version)
            {
                return text.Stale();
            }
            var now = clock.GetUtcNow();
            var updatedBy = caller.ActorId;
            var written = current.IsOverridden
                ? await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE ntf_templates SET subject = @subject, body = @body, version = version + 1, updated_at = @now, updated_by = @updatedBy
                    WHERE template_key = @key AND culture = @culture AND version = @version
                    """, new { subject, body, now, updatedBy, key, culture, version }, tx, cancellationToken: ct))
                : await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO ntf_templates (template_key, culture, subject, body, version, updated_at, updated_by)
                    VALUES (@key, @culture, @subject, @body, 1, @now, @updatedBy)
                    """, new { subject, body, now, updatedBy, key, culture }, tx, cancellationToken: ct));
            if (written != 1)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordType, $"{key}/{culture}", "updated", null,
                AuditTrail.Diff(
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["subject"] = current.Subject, ["body"] = current.Body },
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["subject"] = subject, ["body"] = body })), ct);
            return (await FindAsync(connection, tx, key, culture, ct))!;
        }, ct);
    }

    /// <summary>Drops the override, so the module's default applies again.</summary>
    public async Task<Outcome<TemplateView>> ResetAsync(string key, string culture, CancellationToken ct = default)
    {
        if (!Defaults.ContainsKey((key, culture)))
        {
            return text.NotFound();
        }
        return await database.WriteAsync<Outcome<TemplateView>>(async (connection, tx) =>
        {
            var current = (await FindAsync(connection, tx, key, culture, ct))!;
            if (current.IsOverridden)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM ntf_templates WHERE template_key = @key AND culture = @culture", new { key, culture }, tx, cancellationToken: ct));
                await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordType, $"{key}/{culture}", "reset", null,
                    AuditTrail.Diff(
                        new Dictionary<string, object?>(StringComparer.Ordinal) { ["subject"] = current.Subject, ["body"] = current.Body },
                        new Dictionary<string, object?>(StringComparer.Ordinal) { ["subject"] = current.DefaultSubject, ["body"] = current.DefaultBody })), ct);
            }
            return (await FindAsync(connection, tx, key, culture, ct))!;
        }, ct);
    }

    public const string AuditRecordType = "notification-template";

    private async Task<TemplateView?> FindAsync(DbConnection connection, DbTransaction? tx, string key, string culture, CancellationToken ct)
    {
        if (!Defaults.TryGetValue((key, culture), out var fallback))
        {
            return null;
        }
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT template_key, culture, subject, body, version FROM ntf_templates WHERE template_key = @key AND culture = @culture",
            new { key, culture }, tx, cancellationToken: ct));
        return View(fallback, row);
    }

    private static TemplateView View(NotificationTemplateDefault d, Row? row) => row is null
        ? new TemplateView(d.Key, d.Culture, d.Subject, d.Body, false, 0, d.Subject, d.Body)
        : new TemplateView(d.Key, d.Culture, row.Subject, row.Body, true, row.Version, d.Subject, d.Body);

    private sealed class Row
    {
        public string TemplateKey { get; init; } = "";
        public string Culture { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public int Version { get; init; }
    }
}
