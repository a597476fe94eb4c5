using System.Data.Common;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.Options;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>Bound from <c>Certus:Competence</c>.</summary>
public sealed class CompetenceOptions
{
    public const string Section = "Certus:Competence";

    /// <summary>Days before expiry at which holders and the HR managers are warned, once each; 60 and 14 when not set.</summary>
    public int[]? CertificateWarningDays { get; set; }

    /// <summary>How often the certificate warnings run (they send each warning once, however often they run).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromDays(1);

    public IReadOnlyList<int> Thresholds =>
        CertificateWarningDays is { Length: > 0 } days ? [.. days.Where(d => d > 0).Distinct().OrderDescending()] : [60, 14];

    /// <summary>The first (largest) threshold: a certificate this close to expiry shows as expiring soon.</summary>
    public int SoonDays => Thresholds.Count > 0 ? Thresholds[0] : 60;
}

/// <summary>A warning sent about a certificate: at which threshold, and when.</summary>
public sealed record WarningSent(int ThresholdDays, string ExpiresOn, DateTimeOffset SentAt);

/// <summary>A certificate a person holds, with its state today.</summary>
public sealed class CertificateView : IVersioned
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public string PersonName { get; set; } = "";
    public string Name { get; init; } = "";
    public string Issuer { get; init; } = "";
    public string? Number { get; init; }
    public string IssuedOn { get; init; } = "";
    public string? ExpiresOn { get; init; }
    public Guid? SessionId { get; init; }
    public string? RetiredReason { get; init; }
    public DateTimeOffset? RetiredAt { get; init; }
    public string? FileName { get; init; }
    public string? FileType { get; init; }
    public string? FileHash { get; init; }
    public int Version { get; init; }

    /// <summary><c>valid</c>, <c>expiring</c>, <c>expired</c>, <c>renewed</c> or <c>retired</c>.</summary>
    public string State { get; set; } = "";

    /// <summary>Days to expiry (negative once expired), or null without an expiry date.</summary>
    public int? DaysLeft { get; set; }

    public Guid? RenewedById { get; set; }

    public IReadOnlyList<WarningSent> WarningsSent { get; set; } = [];

    internal const string Columns =
        "id, user_id, name, issuer, number, issued_on, expires_on, session_id, retired_reason, retired_at, file_name, file_type, file_hash, version";
}

/// <summary>
/// Certificates people hold (ITIL, ISO/IEC 20000 internal auditor, CCNP, PMP, 电工证), with expiry: evidence of competence
/// (ISO/IEC 20000-1:2018 7.2 d) that must not lapse unnoticed.
/// </summary>
public sealed class Certificates(Database database, AuditTrail audit, Staff staff, ICurrentUser caller, IOptions<CompetenceOptions> options, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "certificate";

    /// <summary>Largest attachment accepted.</summary>
    public const long MaxFileBytes = 10 * 1024 * 1024;

    /// <param name="UserId">The holder.</param>
    /// <param name="Name">Such as "ITIL 4 Foundation".</param>
    /// <param name="Issuer">Who issued it.</param>
    /// <param name="Number">Certificate number.</param>
    /// <param name="IssuedOn">yyyy-MM-dd.</param>
    /// <param name="ExpiresOn">yyyy-MM-dd, blank when it does not expire.</param>
    public sealed record Request(Guid? UserId, string? Name, string? Issuer, string? Number, string? IssuedOn, string? ExpiresOn);

    public sealed record RetireRequest(string? Reason);

    public sealed record UploadedFile(string FileName, string ContentType, byte[] Content);

    /// <summary>Certificates, by holder and expiry; <paramref name="state"/> filters on the state today.</summary>
    public async Task<IReadOnlyList<CertificateView>> ListAsync(string? state, Guid? userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var all = await LoadAsync(connection, null, userId, ct);
        return [.. all.Where(c => string.IsNullOrEmpty(state) || c.State == state)
            .OrderBy(c => c.State switch { "expired" => 0, "expiring" => 1, "valid" => 2, _ => 3 })
            .ThenBy(c => c.ExpiresOn ?? "9999", StringComparer.Ordinal).ThenBy(c => c.PersonName, StringComparer.Ordinal)];
    }

    public async Task<CertificateView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    private async Task<CertificateView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var userId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT user_id FROM cpt_certificates WHERE id = @id", new { id }, tx, cancellationToken: ct));
        return userId is null ? null : (await LoadAsync(connection, tx, userId, ct)).Single(c => c.Id == id);
    }

    /// <summary>The certificates (of one holder, or everyone's) with their state today: renewal is judged among a holder's certificates.</summary>
    internal async Task<IReadOnlyList<CertificateView>> LoadAsync(DbConnection connection, DbTransaction? tx, Guid? userId, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<CertificateView>(new CommandDefinition(
            $"SELECT {CertificateView.Columns} FROM cpt_certificates" + (userId is null ? "" : " WHERE user_id = @userId"), new { userId }, tx, cancellationToken: ct))).ToList();
        var warnings = (await connection.QueryAsync<(Guid CertificateId, int ThresholdDays, string ExpiresOn, DateTimeOffset SentAt)>(new CommandDefinition(
            "SELECT certificate_id, threshold_days, expires_on, sent_at FROM cpt_certificate_warnings", transaction: tx, cancellationToken: ct))).ToLookup(w => w.CertificateId);
        var users = await staff.FindManyAsync(rows.Select(r => r.UserId), ct);
        Judge(rows, CalendarDates.Day(clock.GetUtcNow()), options.Value.SoonDays);
        foreach (var c in rows)
        {
            c.PersonName = users.TryGetValue(c.UserId, out var u) ? u.DisplayName : c.UserId.ToString("D");
            c.WarningsSent = [.. warnings[c.Id].OrderBy(w => w.SentAt).Select(w => new WarningSent(w.ThresholdDays, w.ExpiresOn, w.SentAt))];
        }
        return rows;
    }

    /// <summary>
    /// Sets each certificate's state on <paramref name="today"/>. A certificate is renewed by a later one of the same holder
    /// and name (compared without case or surrounding blanks) that is not retired and lasts longer.
    /// </summary>
    internal static void Judge(IReadOnlyList<CertificateView> certificates, string today, int soonDays)
    {
        foreach (var c in certificates)
        {
            var renewal = certificates
                .Where(o => o.Id != c.Id && o.UserId == c.UserId && o.RetiredReason is null
                    && string.Equals(o.Name.Trim(), c.Name.Trim(), StringComparison.OrdinalIgnoreCase)
                    && string.CompareOrdinal(o.IssuedOn, c.IssuedOn) >= 0
                    && (o.ExpiresOn is null || (c.ExpiresOn is not null && string.CompareOrdinal(o.ExpiresOn, c.ExpiresOn) > 0)))
                .OrderByDescending(o => o.IssuedOn, StringComparer.Ordinal)
                .FirstOrDefault();
            c.RenewedById = renewal?.Id;
            c.DaysLeft = c.ExpiresOn is null ? null : CertificateRules.DaysLeft(c.ExpiresOn, today);
            c.State = CertificateRules.StateOf(c.ExpiresOn, today, soonDays, renewal is not null, c.RetiredReason is not null).Key();
        }
    }

    private async Task<(FieldErrors Errors, string? IssuedOn, string? ExpiresOn)> ValidateAsync(Request request, bool checkHolder, CancellationToken ct)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Required("issuer", request.Issuer, 200).Optional("number", request.Number, 100);
        if (checkHolder)
        {
            if (request.UserId is not { } user)
            {
                errors.Add("userId", "Validation.Required");
            }
            else if (!await staff.IsStaffAsync(user, ct))
            {
                errors.Add("userId", "Validation.Unknown", user);
            }
        }
        if (!Dates.TryParse(request.IssuedOn, out var issued) || issued is null)
        {
            errors.AddMessage("issuedOn", text["Validation.Date"]);
        }
        else if (string.CompareOrdinal(issued, CalendarDates.Day(clock.GetUtcNow())) > 0)
        {
            errors.AddMessage("issuedOn", text["Validation.NotInFuture"]);
        }
        if (!Dates.TryParse(request.ExpiresOn, out var expires))
        {
            errors.AddMessage("expiresOn", text["Validation.Date"]);
        }
        else if (expires is not null && issued is not null && string.CompareOrdinal(expires, issued) <= 0)
        {
            errors.AddMessage("expiresOn", text["Certificate.ExpiresBeforeIssued"]);
        }
        return (errors, issued, expires);
    }

    public async Task<Outcome<CertificateView>> CreateAsync(Request request, UploadedFile? file = null, CancellationToken ct = default)
    {
        var (errors, issued, expires) = await ValidateAsync(request, true, ct);
        CheckFile(file, errors);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CertificateView>>(async (connection, tx) =>
        {
            var now = clock.GetUtcNow();
            var id = await IssueAsync(connection, tx, audit, request.UserId!.Value, request.Name!.Trim(), request.Issuer!.Trim(), CalendarDates.Blank(request.Number), issued!, expires, null,
                caller.ActorName, now, null, ct);
            if (file is not null)
            {
                await AttachAsync(connection, tx, id, file, now, ct);
            }
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private void CheckFile(UploadedFile? file, FieldErrors errors)
    {
        if (file is null)
        {
            return;
        }
        if (file.Content.Length == 0)
        {
            errors.Add("file", "Validation.Required");
        }
        else if (file.Content.Length > MaxFileBytes)
        {
            errors.AddMessage("file", text["Certificate.FileTooLarge", MaxFileBytes / 1024 / 1024]);
        }
        errors.Optional("file", file.FileName, 200);
    }

    /// <summary>Writes a certificate and its audit entry (shared with the exam results, which issue a course's certificate).</summary>
    internal static async Task<Guid> IssueAsync(
        DbConnection connection, DbTransaction tx, AuditTrail audit, Guid userId, string name, string issuer, string? number, string issuedOn, string? expiresOn, Guid? sessionId,
        string byName, DateTimeOffset now, string? reason, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cpt_certificates (id, user_id, name, issuer, number, issued_on, expires_on, session_id, created_at, created_by_name, version)
            VALUES (@id, @userId, @name, @issuer, @number, @issuedOn, @expiresOn, @sessionId, @now, @byName, 1)
            """, new { id, userId, name, issuer, number, issuedOn, expiresOn, sessionId, now, byName }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["userId"] = userId, ["name"] = name, ["issuer"] = issuer, ["number"] = number, ["issuedOn"] = issuedOn, ["expiresOn"] = expiresOn, ["sessionId"] = sessionId,
        }), reason), ct);
        return id;
    }

    /// <summary>Corrects a certificate's details (a new expiry date arms its warnings again); a retired one stays as it is.</summary>
    public async Task<Outcome<CertificateView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var (errors, issued, expires) = await ValidateAsync(request, false, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CertificateView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.RetiredReason is not null)
            {
                return new Failure(FailureKind.Conflict, text["Certificate.Retired"]);
            }
            var after = new { id, name = request.Name!.Trim(), issuer = request.Issuer!.Trim(), number = CalendarDates.Blank(request.Number), issued, expires, version = expectedVersion };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_certificates SET name = @name, issuer = @issuer, number = @number, issued_on = @issued, expires_on = @expires, version = version + 1
                WHERE id = @id AND version = @version
                """, after, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = current.Name, ["issuer"] = current.Issuer, ["number"] = current.Number, ["issuedOn"] = current.IssuedOn, ["expiresOn"] = current.ExpiresOn,
                },
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = after.name, ["issuer"] = after.issuer, ["number"] = after.number, ["issuedOn"] = issued, ["expiresOn"] = expires,
                })), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Retires a certificate the holder's work no longer needs, with the reason: it then counts neither as held nor as lapsed.</summary>
    public async Task<Outcome<CertificateView>> RetireAsync(Guid id, int expectedVersion, RetireRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CertificateView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.RetiredReason is not null)
            {
                return new Failure(FailureKind.Conflict, text["Certificate.Retired"]);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_certificates SET retired_reason = @reason, retired_at = @now, version = version + 1 WHERE id = @id AND version = @version",
                new { id, reason = request.Reason!.Trim(), now = clock.GetUtcNow(), version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "retired", null,
                [new AuditChange("state", current.State, "retired")], request.Reason.Trim()), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Attaches (or replaces) the scanned certificate; the file is kept in the database under its SHA-256.</summary>
    public async Task<Outcome<CertificateView>> AttachAsync(Guid id, int expectedVersion, UploadedFile file, CancellationToken ct = default)
    {
        var errors = text.Errors();
        CheckFile(file, errors);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CertificateView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            await AttachAsync(connection, tx, id, file, clock.GetUtcNow(), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private async Task AttachAsync(DbConnection connection, DbTransaction tx, Guid id, UploadedFile file, DateTimeOffset now, CancellationToken ct)
    {
        var before = await connection.QuerySingleAsync<string?>(new CommandDefinition(
            "SELECT file_hash FROM cpt_certificates WHERE id = @id", new { id }, tx, cancellationToken: ct));
        var hash = await BlobStore.PutAsync(connection, tx, file.Content, now, ct);
        var name = Path.GetFileName(file.FileName.Trim());
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cpt_certificates SET file_hash = @hash, file_name = @name, file_type = @type, version = version + 1 WHERE id = @id",
            new { id, hash, name, type = file.ContentType }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "file", null,
            [new AuditChange("fileHash", before, hash), new AuditChange("fileName", null, name)]), ct);
    }

    /// <summary>The attached file and its name and type, or null.</summary>
    public async Task<(byte[] Content, string Name, string Type, string Hash)?> FileAsync(Guid id, CancellationToken ct = default)
    {
        if (await GetAsync(id, ct) is not { FileHash: { } hash } c || await BlobStore.GetAsync(database, hash, ct) is not { } content)
        {
            return null;
        }
        return (content, c.FileName ?? "certificate", c.FileType ?? "application/octet-stream", hash);
    }
}
