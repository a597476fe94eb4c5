using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// Raises a request for change (manual §8.2.1: internally by technical teams, or for a customer through sales) and
/// edits it while nobody has assessed it yet. The same request shape serves the API, the page and other modules.
/// </summary>
public sealed partial class RequestChange(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IConfigurationRecords cmdb, IServiceLookup services,
    DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Where a create remembers its <c>Idempotency-Key</c>s.</summary>
    internal static readonly IdempotencyTable Keys = new("chg_idempotency", "change_id");

    public static readonly IReadOnlyList<string> SourceKinds = ["incident", "problem", "release"];

    /// <summary>A CMDB update to declare: the CI by reference and what to set when the change is implemented.</summary>
    public sealed record UpdateRequest(string? Ci, string? VersionLabel, string? Status, IReadOnlyDictionary<string, string?>? Attributes);

    public sealed record Request(
        string? Type = null,
        string? Title = null,
        string? Reason = null,
        string? Description = null,
        Guid? OrganisationId = null,
        Guid? TemplateId = null,
        IReadOnlyList<string>? Cis = null,
        IReadOnlyList<string>? Services = null,
        IReadOnlyDictionary<string, string>? RiskAnswers = null,
        string? ImplementationPlan = null,
        string? BackoutPlan = null,
        string? TestPlan = null,
        string? CustomerImpact = null,
        decimal? CostEstimate = null,
        string? CostCurrency = null,
        string? SupplierContract = null,
        string? SlaImpact = null,
        DateTimeOffset? PlannedStart = null,
        DateTimeOffset? PlannedEnd = null,
        IReadOnlyList<UpdateRequest>? CmdbUpdates = null,
        string? SourceKind = null,
        string? SourceRef = null,
        Guid? OwnerId = null);

    /// <summary>A request checked and resolved against the CMDB, the catalogue and the questionnaire.</summary>
    internal sealed record Prepared(
        ChangeType Type, string Title, string Reason, string Description, Guid OrganisationId, string Origin, ChangeTemplate? Template,
        IReadOnlyList<CiFacts> Cis, IReadOnlyList<string> Services, IReadOnlyDictionary<string, string> RiskAnswers,
        string ImplementationPlan, string BackoutPlan, string TestPlan, string CustomerImpact, decimal? CostEstimate, string? CostCurrency,
        string? SupplierContract, string? SlaImpact, DateTimeOffset? PlannedStart, DateTimeOffset? PlannedEnd, IReadOnlyList<DeclaredUpdate> Updates,
        string? SourceKind, string? SourceRef, Guid? OwnerId);

    public async Task<Outcome<ChangeView>> CreateAsync(Request request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var prepared = await PrepareNewAsync(request, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Failure!;
        }
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        try
        {
            return await database.WriteAsync<Outcome<ChangeView>>(async (connection, tx) =>
            {
                if (key is not null && await ReplayAsync(connection, tx, key, ct) is { } earlier)
                {
                    return earlier;
                }
                return await InsertAsync(connection, tx, prepared.Value!, key, ct);
            }, ct);
        }
        catch (DbException ex) when (key is not null && DatabaseErrors.IsUniqueViolation(ex))
        {
            await using var connection = await database.OpenAsync(ct);
            if (await ReplayAsync(connection, null, key, ct) is not { } earlier)
            {
                throw;
            }
            return earlier;
        }
    }

    /// <summary>
    /// Creates the request inside the caller's transaction, for another process whose own record must name the change
    /// (a problem's fix, a release's re-attempt): when that write fails, no request is left behind.
    /// </summary>
    internal async Task<Outcome<ChangeView>> CreateWithinAsync(Request request, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var prepared = await PrepareNewAsync(request, ct);
        return prepared.Succeeded ? await InsertAsync(connection, tx, prepared.Value!, null, ct) : prepared.Failure!;
    }

    private async Task<Outcome<Prepared>> PrepareNewAsync(Request request, CancellationToken ct)
    {
        if (!caller.IsProviderStaff || !caller.HasPermission(ChangePermissions.Request))
        {
            return new Failure(FailureKind.Forbidden, text["Change.RequestForbidden"]);
        }
        return await PrepareAsync(request, null, ct);
    }

    private async Task<ChangeView> InsertAsync(DbConnection connection, DbTransaction tx, Prepared p, string? key, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE chg_counters SET value = value + 1 WHERE name = 'change' RETURNING value", transaction: tx, cancellationToken: ct));
        var scale = await ChangeSettings.ScaleAsync(connection, tx, ct);
        var questions = await ChangeSettings.QuestionsAsync(connection, tx, true, ct);
        var (score, level) = Risk(p, questions, scale);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chg_changes (id, number, organisation_id, type, state, title, reason, description, origin, template_id, source_kind, source_ref,
                requested_by, requested_by_name, owner_id, risk_answers, risk_score, risk_level, implementation_plan, backout_plan, test_plan,
                customer_impact, cost_estimate, cost_currency, supplier_contract, sla_impact, cmdb_updates, planned_start, planned_end,
                approval_round, created_at, created_by, updated_at, version)
            VALUES (@id, @number, @organisationId, @type, 'draft', @title, @reason, @description, @origin, @templateId, @sourceKind, @sourceRef,
                @requestedBy, @requestedByName, @ownerId, @riskAnswers, @score, @level, @implementationPlan, @backoutPlan, @testPlan,
                @customerImpact, @costEstimate, @costCurrency, @supplierContract, @slaImpact, @cmdbUpdates, @plannedStart, @plannedEnd,
                0, @now, @requestedBy, @now, 1)
            """,
            new
            {
                id, number, organisationId = p.OrganisationId, type = p.Type.Key(), title = p.Title, reason = p.Reason, description = p.Description,
                origin = p.Origin, templateId = p.Template?.Id, sourceKind = p.SourceKind, sourceRef = p.SourceRef, requestedBy = caller.ActorId,
                requestedByName = caller.ActorName, ownerId = p.OwnerId, riskAnswers = JsonSerializer.Serialize(p.RiskAnswers, ChangeView.Json),
                score, level, implementationPlan = p.ImplementationPlan, backoutPlan = p.BackoutPlan, testPlan = p.TestPlan,
                customerImpact = p.CustomerImpact, costEstimate = p.CostEstimate, costCurrency = p.CostCurrency, supplierContract = p.SupplierContract,
                slaImpact = p.SlaImpact, cmdbUpdates = JsonSerializer.Serialize(p.Updates, ChangeView.Json), plannedStart = p.PlannedStart,
                plannedEnd = p.PlannedEnd, now,
            }, tx, cancellationToken: ct));
        await WriteLinksAsync(connection, tx, id, p, ct);
        if (key is not null)
        {
            await Keys.RememberAsync(connection, tx, caller.UserId, key, id, now, ct);
        }
        var view = (await ChangeQueries.LoadAsync(connection, tx, id, ct))!;
        var fields = FieldsOf(view);
        fields["number"] = view.Number;
        fields["state"] = view.State;
        await audit.WriteAsync(connection, tx, new AuditEvent(ChangeAudit.RecordType, id.ToString("D"), "created", p.OrganisationId, AuditTrail.Created(fields)), ct);
        await events.PublishAsync(new ChangeStateChanged(id, view.Number, view.Type, "", "draft", "create"), connection, tx, ct);
        return view;
    }

    /// <summary>Edits a change that is still a draft or only submitted; after assessment its content is what the board decides on.</summary>
    public async Task<Outcome<ChangeView>> UpdateAsync(Guid id, int? expectedVersion, Request request, CancellationToken ct = default)
    {
        ChangeView? current;
        await using (var reader = await database.OpenAsync(ct))
        {
            current = await ChangeQueries.LoadAsync(reader, null, id, ct);
        }
        if (current is null || !caller.CanSee(current.OrganisationId))
        {
            return text.NotFound();
        }
        if (!CanEdit(current))
        {
            return new Failure(FailureKind.Forbidden, text["Change.EditForbidden"]);
        }
        if (!ChangeLifecycle.IsEditable(current.ParsedState))
        {
            return new Failure(FailureKind.Conflict, text["Change.NotEditable", current.State]);
        }
        var prepared = await PrepareAsync(request, current, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Failure!;
        }
        var p = prepared.Value!;
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ChangeView>>(async (connection, tx) =>
        {
            var before = await ChangeQueries.LoadAsync(connection, tx, id, ct);
            if (before is null)
            {
                return text.NotFound();
            }
            if ((expectedVersion is { } v && v != before.Version) || before.State != current.State)
            {
                return text.Stale();
            }
            var scale = await ChangeSettings.ScaleAsync(connection, tx, ct);
            var questions = await ChangeSettings.QuestionsAsync(connection, tx, true, ct);
            var (score, level) = Risk(p, questions, scale);
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE chg_changes SET type = @type, title = @title, reason = @reason, description = @description, organisation_id = @organisationId,
                    origin = @origin, template_id = @templateId, source_kind = @sourceKind, source_ref = @sourceRef, owner_id = @ownerId,
                    risk_answers = @riskAnswers, risk_score = @score, risk_level = @level, implementation_plan = @implementationPlan,
                    backout_plan = @backoutPlan, test_plan = @testPlan, customer_impact = @customerImpact, cost_estimate = @costEstimate,
                    cost_currency = @costCurrency, supplier_contract = @supplierContract, sla_impact = @slaImpact, cmdb_updates = @cmdbUpdates,
                    planned_start = @plannedStart, planned_end = @plannedEnd, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id, version = before.Version, type = p.Type.Key(), title = p.Title, reason = p.Reason, description = p.Description,
                    organisationId = p.OrganisationId, origin = p.Origin, templateId = p.Template?.Id, sourceKind = p.SourceKind, sourceRef = p.SourceRef,
                    ownerId = p.OwnerId, riskAnswers = JsonSerializer.Serialize(p.RiskAnswers, ChangeView.Json), score, level,
                    implementationPlan = p.ImplementationPlan, backoutPlan = p.BackoutPlan, testPlan = p.TestPlan, customerImpact = p.CustomerImpact,
                    costEstimate = p.CostEstimate, costCurrency = p.CostCurrency, supplierContract = p.SupplierContract, slaImpact = p.SlaImpact,
                    cmdbUpdates = JsonSerializer.Serialize(p.Updates, ChangeView.Json), plannedStart = p.PlannedStart, plannedEnd = p.PlannedEnd, now,
                }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM chg_change_cis WHERE change_id = @id AND role = 'declared'", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM chg_change_services WHERE change_id = @id", new { id }, tx, cancellationToken: ct));
            await WriteLinksAsync(connection, tx, id, p, ct);
            var after = (await ChangeQueries.LoadAsync(connection, tx, id, ct))!;
            await audit.WriteAsync(connection, tx, new AuditEvent(ChangeAudit.RecordType, id.ToString("D"), "updated", p.OrganisationId,
                AuditTrail.Diff(FieldsOf(before), FieldsOf(after))), ct);
            return after;
        }, ct);
    }

    private bool CanEdit(ChangeView change) =>
        caller.HasPermission(ChangePermissions.Manage) || (caller.HasPermission(ChangePermissions.Request) && change.RequestedBy == caller.UserId);

    internal async Task<Outcome<Prepared>> PrepareAsync(Request request, ChangeView? current, CancellationToken ct)
    {
        var errors = text.Errors()
            .Required("title", request.Title, 200)
            .Required("reason", request.Reason, 4000)
            .Optional("description", request.Description, 20_000)
            .Optional("implementationPlan", request.ImplementationPlan, 20_000)
            .Optional("backoutPlan", request.BackoutPlan, 20_000)
            .Optional("testPlan", request.TestPlan, 20_000)
            .Optional("customerImpact", request.CustomerImpact, 4000)
            .Optional("supplierContract", request.SupplierContract, 200)
            .Optional("slaImpact", request.SlaImpact, 4000)
            .Optional("sourceRef", request.SourceRef, 60);
        var type = ChangeNames.ParseType(request.Type ?? current?.Type);
        if (type is null)
        {
            errors.Add("type", "Validation.OneOf", "standard, normal, emergency");
        }

        // A change for a customer is raised by the provider's staff (sales) on the customer's behalf (manual §8.2.1).
        var organisationId = request.OrganisationId ?? current?.OrganisationId ?? caller.OrganisationId;
        var origin = "internal";
        if (organisationId != caller.OrganisationId)
        {
            var organisation = await directory.FindOrganisationAsync(organisationId, ct);
            if (organisation is null)
            {
                errors.Add("organisationId", "Validation.Unknown", organisationId);
            }
            else if (organisation.Kind == OrganisationKind.Customer)
            {
                origin = "customer";
            }
        }

        ChangeTemplate? template = null;
        if (type == ChangeType.Standard)
        {
            if ((request.TemplateId ?? current?.TemplateId) is not { } templateId)
            {
                errors.AddMessage("templateId", text["Change.TemplateRequired"]);
            }
            else
            {
                await using var connection = await database.OpenAsync(ct);
                template = await ChangeSettings.TemplateAsync(connection, null, templateId, ct);
                if (template is null || !template.Active)
                {
                    errors.Add("templateId", "Validation.Unknown", templateId);
                }
            }
        }

        // CIs by reference; business services among them bring their service code.
        var references = (request.Cis ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var updatesRequested = request.CmdbUpdates ?? [];
        var allRefs = references.Concat(updatesRequested.Select(u => u.Ci?.Trim() ?? "").Where(r => r.Length > 0)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = allRefs.Count == 0 ? [] : await cmdb.FindAsync(allRefs, ct);
        CiFacts? Match(string reference) => found.FirstOrDefault(c =>
            string.Equals(c.Identifier, reference, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, reference, StringComparison.OrdinalIgnoreCase)
            || (Guid.TryParse(reference, out var g) && c.Id == g));
        var cis = new List<CiFacts>();
        foreach (var reference in references)
        {
            if (Match(reference) is { } ci)
            {
                cis.Add(ci);
            }
            else
            {
                errors.AddMessage("cis", text["Change.UnknownCi", reference]);
            }
        }
        var declared = new List<DeclaredUpdate>();
        for (var i = 0; i < updatesRequested.Count; i++)
        {
            var u = updatesRequested[i];
            if (string.IsNullOrWhiteSpace(u.Ci) || Match(u.Ci.Trim()) is not { } ci)
            {
                errors.AddMessage($"cmdbUpdates[{i}].ci", text["Change.UnknownCi", u.Ci ?? ""]);
                continue;
            }
            if (u.VersionLabel is null && u.Status is null && (u.Attributes is null || u.Attributes.Count == 0))
            {
                errors.AddMessage($"cmdbUpdates[{i}]", text["Change.EmptyUpdate", ci.Identifier]);
                continue;
            }
            if (u.VersionLabel is { Length: > 60 })
            {
                errors.Add($"cmdbUpdates[{i}].versionLabel", "Validation.TooLong", 60);
            }
            // A CI the change updates is a CI it affects.
            if (cis.All(c => c.Id != ci.Id))
            {
                cis.Add(ci);
            }
            declared.Add(new DeclaredUpdate(ci.Id, ci.Identifier, u.VersionLabel?.Trim(), u.Status?.Trim(), u.Attributes));
        }

        var serviceCodes = (request.Services ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
            .Concat(cis.Select(c => c.ServiceCode).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
        if (serviceCodes.Count > 0)
        {
            var known = await services.FindAsync(serviceCodes, ct);
            foreach (var code in serviceCodes.Where(c => known.All(k => k.Code != c)))
            {
                errors.AddMessage("services", text["Change.UnknownService", code]);
            }
        }

        var questions = await QuestionsAsync(ct);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (question, answer) in request.RiskAnswers ?? current?.RiskAnswers ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            var q = questions.FirstOrDefault(x => x.Key == question);
            if (q is null)
            {
                errors.AddMessage("riskAnswers", text["Risk.UnknownQuestion", question]);
            }
            else if (q.Answers.All(a => a.Key != answer))
            {
                errors.AddMessage($"riskAnswers.{question}", text["Risk.UnknownAnswer", answer, string.Join(", ", q.Answers.Select(a => a.Key))]);
            }
            else
            {
                answers[question] = answer;
            }
        }

        if (request.CostEstimate is < 0 or > 1_000_000_000_000m)
        {
            errors.AddMessage("costEstimate", text["Change.CostRange"]);
        }
        var currency = request.CostEstimate is null ? null : (request.CostCurrency ?? "CNY").Trim().ToUpperInvariant();
        if (currency is not null && !Currency().IsMatch(currency))
        {
            errors.AddMessage("costCurrency", text["Change.CurrencyFormat"]);
        }
        if (request.PlannedStart is { } start && request.PlannedEnd is { } end && end <= start)
        {
            errors.AddMessage("plannedEnd", text["Schedule.EndAfterStart"]);
        }
        if (request.PlannedStart is null != request.PlannedEnd is null)
        {
            errors.AddMessage(request.PlannedStart is null ? "plannedStart" : "plannedEnd", text["Schedule.BothEnds"]);
        }
        var sourceKind = string.IsNullOrWhiteSpace(request.SourceKind) ? null : request.SourceKind.Trim().ToLowerInvariant();
        if (sourceKind is not null && !SourceKinds.Contains(sourceKind, StringComparer.Ordinal))
        {
            errors.Add("sourceKind", "Validation.OneOf", string.Join(", ", SourceKinds));
        }
        if (sourceKind is not null && string.IsNullOrWhiteSpace(request.SourceRef))
        {
            errors.Add("sourceRef", "Validation.Required");
        }
        if (request.OwnerId is { } ownerId)
        {
            var owner = await directory.FindUserAsync(ownerId, ct);
            if (owner is null || !owner.IsActive)
            {
                errors.Add("ownerId", "Validation.Unknown", ownerId);
            }
        }
        // §6.3.5: a change to a supplier contract states what it does to the service levels agreed with customers.
        if (!string.IsNullOrWhiteSpace(request.SupplierContract) && string.IsNullOrWhiteSpace(request.SlaImpact))
        {
            errors.AddMessage("slaImpact", text["Change.SlaImpactRequired"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        return new Prepared(
            type!.Value, request.Title!.Trim(), request.Reason!.Trim(), request.Description?.Trim() ?? "", organisationId, origin, template, cis, serviceCodes, answers,
            Blank(request.ImplementationPlan) ?? template?.ImplementationPlan ?? "", Blank(request.BackoutPlan) ?? template?.BackoutPlan ?? "",
            Blank(request.TestPlan) ?? template?.TestPlan ?? "", request.CustomerImpact?.Trim() ?? "", request.CostEstimate, currency,
            Blank(request.SupplierContract), Blank(request.SlaImpact), request.PlannedStart?.ToUniversalTime(), request.PlannedEnd?.ToUniversalTime(), declared, sourceKind,
            sourceKind is null ? null : request.SourceRef!.Trim(), request.OwnerId);
    }

    private async Task<IReadOnlyList<RiskQuestion>> QuestionsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ChangeSettings.QuestionsAsync(connection, null, true, ct);
    }

    /// <summary>The risk score and level when every active question is answered (a standard change takes its template's level).</summary>
    internal static (int? Score, string? Level) Risk(Prepared p, IReadOnlyList<RiskQuestion> questions, RiskScale scale)
    {
        if (p.Template is { } template)
        {
            return (null, template.RiskLevel);
        }
        if (questions.Count == 0 || questions.Any(q => !p.RiskAnswers.ContainsKey(q.Key)))
        {
            return (null, null);
        }
        var score = questions.Sum(q => q.Answers.First(a => a.Key == p.RiskAnswers[q.Key]).Score);
        return (score, RiskScale.Key(scale.LevelOf(score)));
    }

    private static async Task WriteLinksAsync(DbConnection connection, DbTransaction tx, Guid id, Prepared p, CancellationToken ct)
    {
        foreach (var ci in p.Cis)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO chg_change_cis (change_id, ci_id, role, identifier, name) VALUES (@id, @ciId, 'declared', @identifier, @name)",
                new { id, ciId = ci.Id, identifier = ci.Identifier, name = ci.Name }, tx, cancellationToken: ct));
        }
        foreach (var code in p.Services)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO chg_change_services (change_id, service_code) VALUES (@id, @code)", new { id, code }, tx, cancellationToken: ct));
        }
    }

    private async Task<ChangeView?> ReplayAsync(DbConnection connection, DbTransaction? tx, string key, CancellationToken ct)
    {
        var existing = await Keys.FindAsync(connection, tx, caller.UserId, key, clock.GetUtcNow(), ct);
        return existing is { } found ? await ChangeQueries.LoadAsync(connection, tx, found, ct) : null;
    }

    /// <summary>The fields the audit trail records of a change, read back from what was stored.</summary>
    internal static Dictionary<string, object?> FieldsOf(ChangeView c) => new(StringComparer.Ordinal)
    {
        ["type"] = c.Type,
        ["title"] = c.Title,
        ["reason"] = c.Reason,
        ["description"] = c.Description,
        ["organisationId"] = c.OrganisationId,
        ["origin"] = c.Origin,
        ["templateId"] = c.TemplateId,
        ["cis"] = string.Join(", ", c.Cis.Select(x => x.Identifier).Order(StringComparer.Ordinal)),
        ["services"] = string.Join(", ", c.Services.Order(StringComparer.Ordinal)),
        ["riskScore"] = c.RiskScore,
        ["riskLevel"] = c.RiskLevel,
        ["implementationPlan"] = c.ImplementationPlan,
        ["backoutPlan"] = c.BackoutPlan,
        ["testPlan"] = c.TestPlan,
        ["customerImpact"] = c.CustomerImpact,
        ["costEstimate"] = c.CostEstimate?.ToString(CultureInfo.InvariantCulture),
        ["costCurrency"] = c.CostCurrency,
        ["supplierContract"] = c.SupplierContract,
        ["slaImpact"] = c.SlaImpact,
        ["plannedStart"] = c.PlannedStart,
        ["plannedEnd"] = c.PlannedEnd,
        ["cmdbUpdates"] = JsonSerializer.Serialize(c.CmdbUpdates, ChangeView.Json),
        ["source"] = c.SourceKind is null ? null : $"{c.SourceKind}:{c.SourceRef}",
        ["ownerId"] = c.OwnerId,
    };


    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();
}
