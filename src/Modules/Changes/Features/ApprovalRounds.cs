using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Certus.Changes.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Notifications;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// Opens an approval round when a change reaches its board: every member gets a pending vote and an e-mail with a
/// single-use link to decide (ISO/IEC 20000-1:2018 8.5.1.3). Normal changes go to the CAB, emergency changes to the
/// emergency CAB.
/// </summary>
public sealed class ApprovalRounds(ChangeSettings settings, INotifier notifier, Texts<Strings> text, TimeProvider clock)
{
    public const string TemplateKey = "changes.approval-requested";

    /// <summary>How long an e-mail link stays usable.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    internal async Task<Outcome<int>> StartAsync(DbConnection connection, DbTransaction tx, ChangeView change, CancellationToken ct)
    {
        var boardKey = change.ParsedType == ChangeType.Emergency ? ChangeSettings.EmergencyCabKey : ChangeSettings.CabKey;
        var board = (await ChangeSettings.BoardsAsync(connection, tx, ct)).FirstOrDefault(b => b.Key == boardKey);
        if (board is null)
        {
            return new Failure(FailureKind.Unprocessable, text["Board.Missing", boardKey]);
        }
        var members = await settings.MembersAsync(board, ct);
        if (members.Count == 0)
        {
            return new Failure(FailureKind.Unprocessable, text["Board.Empty", board.Name]);
        }
        var round = change.ApprovalRound + 1;
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE chg_changes SET approval_round = @round, board_id = @board WHERE id = @id", new { round, board = board.Id, id = change.Id }, tx, cancellationToken: ct));
        foreach (var member in members)
        {
            var token = NewToken();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chg_approvals (change_id, round, approver_id, approver_name, decision, token_hash, token_expires_at)
                VALUES (@id, @round, @approver, @name, 'pending', @hash, @expires)
                """,
                new { id = change.Id, round, approver = member.Id, name = member.DisplayName, hash = Hash(token), expires = now + LinkLifetime }, tx, cancellationToken: ct));
            await notifier.NotifyAsync(new Notification(TemplateKey, [member.Id],
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["number"] = change.Number,
                    ["title"] = change.Title,
                    ["type"] = change.Type,
                    ["risk"] = change.RiskLevel ?? "",
                    ["board"] = board.Name,
                    ["requester"] = change.RequestedByName,
                    ["plannedStart"] = change.PlannedStart?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                },
                "/changes/approve/" + token, ChangeAudit.RecordType, change.Id.ToString("D")), connection, tx, ct);
        }
        return round;
    }

    internal static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
