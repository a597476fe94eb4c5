using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>
/// Moves a release through build, test, acceptance and deployment to success or to failure and back-out (manual
/// §9.1.3-§9.1.7; ISO/IEC 20000-1:2018 8.5.3). Every move asks <see cref="ReleaseLifecycle"/>; a move it does not allow
/// is refused with the moves that are. Success updates the CMDB with the released versions under the release's changes,
/// in the same write, then takes a baseline; a back-out may raise the re-attempt as a new change, and a latent cause is
/// handed to problem management as <see cref="LatentCauseFound"/>.
/// </summary>
public sealed class MoveRelease(
    Database database, AuditTrail audit, ICurrentUser caller, ReleasePolicies policies, IChangeRecords changes, IConfigurationRecords cmdb,
    DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>What the caller sends with a move; which fields count depends on the move.</summary>
    /// <param name="Reason">Why: required to fail (what went wrong) and to cancel; kept in the audit trail for every move.</param>
    /// <param name="Kind">Test: unit, integration, system, performance, security or acceptance.</param>
    /// <param name="Environment">Test: where it ran.</param>
    /// <param name="Result">Test: passed or failed.</param>
    /// <param name="Summary">Test: what was tested and found.</param>
    /// <param name="BackOutResult">Back-out: what was done by the back-out plan and the state the service is left in.</param>
    /// <param name="LatentCause">Fail or back-out: an underlying cause not yet understood, for problem management.</param>
    /// <param name="Reattempt">Back-out: raise the re-attempt as a new request for change.</param>
    public sealed record Request(
        string? Reason = null, string? Kind = null, string? Environment = null, string? Result = null, string? Summary = null,
        string? BackOutResult = null, string? LatentCause = null, bool? Reattempt = null);

    /// <summary>The refusal a CMDB update gave, carried out of the write so that nothing of the move is committed.</summary>
    private sealed class RolledBack(Failure failure) : Exception(failure.Message)
    {
        public Failure Failure { get; } = failure;
    }

    public async Task<Outcome<ReleaseView>> HandleAsync(Guid id, ReleaseTrigger trigger, Request request, int? expectedVersion = null, CancellationToken ct = default)
    {
        var permission = trigger switch
        {
            ReleaseTrigger.Test => ReleasePermissions.Test,
            ReleaseTrigger.Accept => ReleasePermissions.Accept,
            ReleaseTrigger.Build or ReleaseTrigger.Deploy or ReleaseTrigger.Complete or ReleaseTrigger.Fail or ReleaseTrigger.BackOut
                or ReleaseTrigger.Close or ReleaseTrigger.Cancel => ReleasePermissions.Manage,
        };
        if (!caller.HasPermission(permission) || !caller.IsProviderStaff)
        {
            return ReleaseRules.Forbidden(text);
        }
        ReleaseView? current;
        await using (var reader = await database.OpenAsync(ct))
        {
            current = await ReleaseRows.LoadAsync(reader, null, id, ct);
        }
        if (current is null)
        {
            return text.NotFound();
        }

        var errors = Validate(trigger, request, out var test);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (expectedVersion is { } v && v != current.Version)
        {
            return text.Stale();
        }
        var from = current.ParsedState;
        if (ReleaseLifecycle.Next(from, trigger) is not { } to)
        {
            return ReleaseRules.IllegalMove(text, from, trigger);
        }

        IReadOnlyList<ChangeFacts> facts = [];
        IReadOnlyList<CiFacts> cis = [];
        switch (trigger)
        {
            case ReleaseTrigger.Build when from == ReleaseState.Planned:
                if (CheckReadyToBuild(current) is { IsEmpty: false } missing)
                {
                    return text.Invalid(missing);
                }
                facts = await changes.FindAsync([.. current.Changes.Select(c => c.ChangeNumber)], ct);
                if (Unready(current, facts) is { } notReady)
                {
                    return notReady;
                }
                break;
            case ReleaseTrigger.Accept:
                if (await AcceptanceRefusalAsync(current, ct) is { } refused)
                {
                    return refused;
                }
                break;
            case ReleaseTrigger.Deploy:
                // ISO/IEC 20000-1:2018 8.5.3: only authorised changes are deployed. Asked now, not when the release was planned.
                facts = await changes.FindAsync([.. current.Changes.Select(c => c.ChangeNumber)], ct);
                if (Unready(current, facts) is { } unauthorised)
                {
                    return unauthorised;
                }
                break;
            case ReleaseTrigger.Complete:
                facts = await changes.FindAsync([.. current.Changes.Select(c => c.ChangeNumber)], ct);
                cis = await cmdb.GetAsync([.. current.Items.Select(i => i.CiId)], ct);
                break;
            case ReleaseTrigger.Close when from == ReleaseState.Deployed && current.NotesPublishedAt is null:
                return new Failure(FailureKind.Conflict, text["Release.NotesNotPublished"]);
            default:
                break;
        }

        // A re-attempt goes back through change management (manual §9.1.5): the request for change is raised in the
        // back-out's own write, before the back-out is recorded, so the back-out names the change that carries the
        // re-attempt and a back-out that fails leaves no request behind.
        var reattempt = trigger == ReleaseTrigger.BackOut && request.Reattempt == true
            ? new RaiseChange(
                current.Type == ReleaseTypes.Emergency ? "emergency" : "normal",
                Truncate(text["Release.ReattemptTitle", current.Identifier, current.Title], 200),
                text["Release.ReattemptReason", current.Number, current.FailureReason ?? "", request.BackOutResult!.Trim()],
                current.Description,
                [.. current.Items.Select(i => i.CiId.ToString("D"))],
                "release",
                current.Number)
            : null;

        Outcome<ReleaseView> moved;
        try
        {
            moved = await database.WriteAsync<Outcome<ReleaseView>>(async (connection, tx) =>
            {
                var before = await ReleaseRows.LoadAsync(connection, tx, id, ct);
                if (before is null)
                {
                    return text.NotFound();
                }
                if (before.Version != current.Version)
                {
                    return text.Stale();
                }
                string? reattemptChange = null;
                if (reattempt is not null)
                {
                    var raised = await changes.RaiseAsync(reattempt, connection, tx, ct);
                    reattemptChange = raised.Succeeded ? raised.Value!.Number : throw new RolledBack(raised.Failure!);
                }
                return await ApplyAsync(connection, tx, before, trigger, to, request, test, facts, cis, reattemptChange, ct);
            }, ct);
        }
        catch (RolledBack refused)
        {
            return refused.Failure;
        }
        if (!moved.Succeeded || trigger != ReleaseTrigger.Complete)
        {
            return moved;
        }
        // The baseline reads the CMDB as the release left it, so it is taken once that write is committed.
        return await TakeBaselineAsync(moved.Value!, ct);
    }

    /// <summary>
    /// Takes the baseline of the CIs a successful release delivered (manual §9.1.7), and records it on the release. Runs
    /// after completion and again on request when the first attempt did not get one.
    /// </summary>
    public async Task<Outcome<ReleaseView>> TakeBaselineAsync(ReleaseView release, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ReleasePermissions.Manage) || !caller.IsProviderStaff)
        {
            return ReleaseRules.Forbidden(text);
        }
        if (release.ParsedState is not (ReleaseState.Deployed or ReleaseState.Closed) || release.BaselineId is not null)
        {
            return new Failure(FailureKind.Conflict, text["Release.BaselineNotNow"]);
        }
        var name = Truncate($"{release.Identifier} {release.Title}", 200);
        var baseline = await cmdb.TakeBaselineAsync(name, text["Release.BaselineDescription", release.Number, release.Identifier],
            [.. release.Items.Select(i => i.CiId)], ct);
        if (!baseline.Succeeded)
        {
            return baseline.Failure!;
        }
        return await database.WriteAsync<Outcome<ReleaseView>>(async (connection, tx) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE rel_releases SET baseline_id = @baselineId, baseline_name = @name, updated_at = @now, version = version + 1
                WHERE id = @id AND baseline_id IS NULL
                """, new { id = release.Id, baselineId = baseline.Value!.Id, name = baseline.Value.Name, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(ReleaseRules.RecordType, release.Id.ToString("D"), "baseline-taken", null,
                [new AuditChange("baseline", null, baseline.Value.Name)]), ct);
            return (await ReleaseRows.LoadAsync(connection, tx, release.Id, ct))!;
        }, ct);
    }

    private FieldErrors Validate(ReleaseTrigger trigger, Request request, out (TestKind Kind, TestResult Result)? test)
    {
        test = null;
        var errors = text.Errors()
            .Optional("reason", request.Reason, 2000)
            .Optional("latentCause", request.LatentCause, ReleaseRules.MaxText)
            .Optional("backOutResult", request.BackOutResult, ReleaseRules.MaxText);
        switch (trigger)
        {
            case ReleaseTrigger.Test:
                var kind = ReleaseNames.ParseKind(request.Kind);
                var result = ReleaseNames.ParseResult(request.Result);
                if (kind is null)
                {
                    errors.Add("kind", "Validation.OneOf", string.Join(", ", ReleaseNames.Keys<TestKind>(ReleaseNames.Key)));
                }
                if (result is null)
                {
                    errors.Add("result", "Validation.OneOf", string.Join(", ", ReleaseNames.Keys<TestResult>(ReleaseNames.Key)));
                }
                errors.Required("environment", request.Environment, 200).Required("summary", request.Summary, ReleaseRules.MaxText);
                if (kind is { } k && result is { } r)
                {
                    test = (k, r);
                }
                break;
            case ReleaseTrigger.Fail:
            case ReleaseTrigger.Cancel:
                errors.Required("reason", request.Reason, 2000);
                break;
            case ReleaseTrigger.BackOut:
                errors.Required("backOutResult", request.BackOutResult, ReleaseRules.MaxText);
                break;
            case ReleaseTrigger.Build:
            case ReleaseTrigger.Accept:
            case ReleaseTrigger.Deploy:
            case ReleaseTrigger.Complete:
            case ReleaseTrigger.Close:
                break;
        }
        return errors;
    }

    /// <summary>What the plan still lacks before a build may start (manual §9.1.2).</summary>
    private FieldErrors CheckReadyToBuild(ReleaseView release)
    {
        var errors = text.Errors();
        errors.When(release.Changes.Count == 0, "changes", "Validation.Required")
            .When(release.Items.Count == 0, "items", "Validation.Required")
            .When(release.PlannedStart is null, "plannedStart", "Validation.Required")
            .When(release.PlannedEnd is null, "plannedEnd", "Validation.Required")
            .When(string.IsNullOrWhiteSpace(release.BackOutPlan), "backOutPlan", "Validation.Required")
            .When(string.IsNullOrWhiteSpace(release.AcceptanceCriteria), "acceptanceCriteria", "Validation.Required");
        return errors;
    }

    /// <summary>409 naming every change that is not (or no longer) authorised, or gone wrong; null when all may go out.</summary>
    private Failure? Unready(ReleaseView release, IReadOnlyList<ChangeFacts> facts)
    {
        var problems = new List<string>();
        foreach (var included in release.Changes)
        {
            var change = facts.FirstOrDefault(f => f.Id == included.ChangeId);
            if (change is null)
            {
                problems.Add(text["Release.ChangeUnknown", included.ChangeNumber]);
            }
            else if (ReleaseRules.Unusable(text, change) is { } why)
            {
                problems.Add(why);
            }
        }
        return problems.Count == 0 ? null : new Failure(FailureKind.Conflict, text["Release.ChangesNotReady", string.Join(" ", problems)]);
    }

    private async Task<Failure?> AcceptanceRefusalAsync(ReleaseView release, CancellationToken ct)
    {
        // ISO/IEC 20000-1:2018 8.5.3: the release is verified against the documented acceptance criteria and approved
        // before deployment, by whom the release policy says.
        var policy = await policies.GetAsync(release.PolicyId, ct);
        if (policy is not null && !caller.Roles.Contains(policy.AuthorisingRole))
        {
            return new Failure(FailureKind.Forbidden, text["Release.AcceptRole", text[$"Role.{policy.AuthorisingRole}"]]);
        }
        if (release.Tests.Count == 0)
        {
            return new Failure(FailureKind.Conflict, text["Release.AcceptWithoutTests"]);
        }
        var failing = TestRecords.Failing(release.Tests.Select(t => t.Run));
        return failing.Count == 0 ? null
            : new Failure(FailureKind.Conflict, text["Release.TestsFailing", string.Join(", ", failing.Select(k => text[$"TestKind.{k.Key()}"]))]);
    }

    private async Task<Outcome<ReleaseView>> ApplyAsync(
        DbConnection connection, DbTransaction tx, ReleaseView before, ReleaseTrigger trigger, ReleaseState to, Request request,
        (TestKind Kind, TestResult Result)? test, IReadOnlyList<ChangeFacts> facts, IReadOnlyList<CiFacts> cis, string? reattempt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var set = new Dictionary<string, object?>(StringComparer.Ordinal);
        var audited = new List<AuditChange> { new("state", before.State, to.Key()) };
        var latentCause = ReleaseRules.Blank(request.LatentCause);
        switch (trigger)
        {
            case ReleaseTrigger.Accept:
                set["accepted_at"] = now;
                set["accepted_by"] = caller.ActorId;
                break;
            case ReleaseTrigger.Build when before.ParsedState == ReleaseState.Testing:
                // A rebuild after failed tests needs a new acceptance; the test records stay as the history of the release.
                set["accepted_at"] = null;
                set["accepted_by"] = null;
                break;
            case ReleaseTrigger.Deploy:
                set["deployed_at"] = now;
                foreach (var change in before.Changes)
                {
                    var authorised = facts.FirstOrDefault(f => f.Id == change.ChangeId)?.Authorised ?? false;
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE rel_release_changes SET authorised_at_deploy = @authorised WHERE release_id = @id AND change_id = @changeId",
                        new { authorised, id = before.Id, changeId = change.ChangeId }, tx, cancellationToken: ct));
                }
                await FollowAsync(connection, tx, before, ReleaseStep.Deploying, text["Release.ChangesDeploying", before.Number, before.Identifier], ct);
                break;
            case ReleaseTrigger.Complete:
                set["completed_at"] = now;
                // The released versions go in under the changes while they are still being implemented; completing the
                // changes then applies what each declared itself (manual §8.1.4, §9.1.7).
                await UpdateCmdbAsync(connection, tx, before, facts, cis, ct);
                await FollowAsync(connection, tx, before, ReleaseStep.Deployed, text["Release.ChangesDeployed", before.Number, before.Identifier], ct);
                break;
            case ReleaseTrigger.Fail:
                set["failure_reason"] = request.Reason!.Trim();
                audited.Add(new AuditChange("failureReason", before.FailureReason, request.Reason.Trim()));
                await FollowAsync(connection, tx, before, ReleaseStep.Failed, text["Release.ChangesFailed", before.Number, request.Reason.Trim()], ct);
                break;
            case ReleaseTrigger.BackOut:
                set["back_out_result"] = request.BackOutResult!.Trim();
                audited.Add(new AuditChange("backOutResult", before.BackOutResult, request.BackOutResult.Trim()));
                await FollowAsync(connection, tx, before, ReleaseStep.BackedOut, text["Release.ChangesBackedOut", before.Number, request.BackOutResult.Trim()], ct);
                if (reattempt is not null)
                {
                    set["reattempt_change"] = reattempt;
                    audited.Add(new AuditChange("reattemptChange", before.ReattemptChange, reattempt));
                }
                break;
            case ReleaseTrigger.Close:
                set["closed_at"] = now;
                break;
            case ReleaseTrigger.Test:
                var sequence = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COALESCE(MAX(sequence), 0) + 1 FROM rel_release_tests WHERE release_id = @id", new { id = before.Id }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO rel_release_tests (id, release_id, sequence, kind, environment, result, summary, tested_at, tested_by, tested_by_name)
                    VALUES (@testId, @id, @sequence, @kind, @environment, @result, @summary, @now, @by, @byName)
                    """,
                    new
                    {
                        testId = Guid.CreateVersion7(), id = before.Id, sequence, kind = test!.Value.Kind.Key(), environment = request.Environment!.Trim(),
                        result = test.Value.Result.Key(), summary = request.Summary!.Trim(), now, by = caller.ActorId, byName = caller.ActorName,
                    }, tx, cancellationToken: ct));
                audited.Add(new AuditChange("test", null, $"#{sequence} {test.Value.Kind.Key()} {test.Value.Result.Key()} ({request.Environment.Trim()})"));
                break;
            case ReleaseTrigger.Build:
            case ReleaseTrigger.Cancel:
                break;
        }
        if (latentCause is not null && trigger is ReleaseTrigger.Fail or ReleaseTrigger.BackOut)
        {
            set["latent_cause"] = latentCause;
            audited.Add(new AuditChange("latentCause", before.LatentCause, latentCause));
        }

        var parameters = new DynamicParameters(set);
        parameters.Add("id", before.Id);
        parameters.Add("version", before.Version);
        parameters.Add("state", to.Key());
        parameters.Add("now", now);
        var extra = string.Concat(set.Keys.Select(k => $", {k} = @{k}"));
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE rel_releases SET state = @state, updated_at = @now, version = version + 1{extra} WHERE id = @id AND version = @version",
            parameters, tx, cancellationToken: ct));
        if (updated == 0)
        {
            // Thrown, not returned: a re-attempt's request for change is already written in this transaction.
            throw new RolledBack(text.Stale());
        }
        await audit.WriteAsync(connection, tx, new AuditEvent(ReleaseRules.RecordType, before.Id.ToString("D"), trigger.Key(), null, audited,
            ReleaseRules.Blank(request.Reason)), ct);
        var numbers = before.Changes.Select(c => c.ChangeNumber).ToList();
        await events.PublishAsync(new ReleaseStateChanged(before.Id, before.Number, before.State, to.Key(), trigger.Key(), numbers), connection, tx, ct);
        if (latentCause is not null && trigger is ReleaseTrigger.Fail or ReleaseTrigger.BackOut)
        {
            // Manual §9.1.6: a latent cause goes to problem management, which subscribes to this event.
            await events.PublishAsync(new LatentCauseFound(before.Id, before.Number, before.Identifier, before.ServiceCode, before.Title, latentCause, numbers,
                [.. before.Items.Select(i => i.CiId)], now, caller.ActorId), connection, tx, ct);
        }
        return (await ReleaseRows.LoadAsync(connection, tx, before.Id, ct))!;
    }

    /// <summary>
    /// The release's changes follow it through change management (manual §9.1.4-§9.1.5): each move is the change's own,
    /// audited on it. A change that cannot follow rolls the release's move back.
    /// </summary>
    private async Task FollowAsync(DbConnection connection, DbTransaction tx, ReleaseView release, ReleaseStep step, string reason, CancellationToken ct)
    {
        var followed = await changes.FollowReleaseAsync(new ReleaseProgress(step, release.Number, [.. release.Changes.Select(c => c.ChangeId)],
            Truncate(reason, 4000), release.PlannedStart, release.PlannedEnd), connection, tx, ct);
        if (!followed.Succeeded)
        {
            throw new RolledBack(followed.Failure!);
        }
    }

    /// <summary>
    /// Puts the released versions into the CMDB (manual §9.1.7), each CI under the change that names it (or the release's
    /// first change), inside the release's own write: a refusal rolls the whole move back.
    /// </summary>
    private async Task UpdateCmdbAsync(DbConnection connection, DbTransaction tx, ReleaseView release, IReadOnlyList<ChangeFacts> facts, IReadOnlyList<CiFacts> cis, CancellationToken ct)
    {
        // Change control accepts CMDB work under a change that is authorised, scheduled or being implemented: those come first.
        var authorised = release.Changes.Select(c => facts.FirstOrDefault(f => f.Id == c.ChangeId)).Where(f => f is { Authorised: true }).Select(f => f!)
            .OrderBy(f => ReleaseRules.WorkStates.Contains(f.State, StringComparer.Ordinal) ? 0 : 1).ToList();
        if (authorised.Count == 0)
        {
            throw new RolledBack(new Failure(FailureKind.Conflict, text["Release.ChangesNotReady", text["Release.NoAuthorisedChange"]]));
        }
        var groups = release.Items
            .GroupBy(i => (authorised.FirstOrDefault(c => c.CiIds.Contains(i.CiId)) ?? authorised[0]).Number, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var applied = await cmdb.ApplyAsync(group.Key, text["Release.CmdbReason", release.Number, release.Identifier],
                [.. group.Select(i => new CiUpdate(i.CiId, VersionLabel: i.VersionLabel))], connection, tx, ct);
            if (!applied.Succeeded)
            {
                throw new RolledBack(applied.Failure!);
            }
        }
        foreach (var item in release.Items)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE rel_release_items SET previous_version = @previous WHERE release_id = @id AND ci_id = @ciId",
                new { previous = cis.FirstOrDefault(c => c.Id == item.CiId)?.VersionLabel ?? "", id = release.Id, ciId = item.CiId }, tx, cancellationToken: ct));
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
