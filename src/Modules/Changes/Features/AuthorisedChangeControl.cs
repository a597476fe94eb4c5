using System.Data.Common;
using Certus.Changes.Domain;
using Certus.Configuration.Contracts;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// The CMDB's change control, enforced (manual §8.1.4; ISO/IEC 20000-1:2018 8.5.1): a CI in use is added, modified,
/// related or removed only under a change that is authorised, scheduled or being implemented. Each CI touched is
/// recorded against the change, so its review shows what the CMDB says was done under it.
/// </summary>
public sealed class AuthorisedChangeControl(Texts<Strings> text) : IChangeControl
{
    public async Task<ChangeControlDecision> AuthoriseAsync(ChangeControlRequest request, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ChangeRef))
        {
            return ChangeControlDecision.Refuse(text["Control.ChangeRequired"]);
        }
        if (ChangeNumber.Parse(request.ChangeRef) is not { } number)
        {
            return ChangeControlDecision.Refuse(text["Control.NotAChange", request.ChangeRef.Trim()]);
        }
        var change = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, state FROM chg_changes WHERE number = @number", new { number = number.Value }, transaction, cancellationToken: ct));
        if (change is null)
        {
            return ChangeControlDecision.Refuse(text["Control.UnknownChange", number.ToString()]);
        }
        if (ChangeNames.ParseState(change.State) is not { } state || !ChangeLifecycle.PermitsWork(state))
        {
            return ChangeControlDecision.Refuse(text["Control.NotAuthorised", number.ToString(), change.State]);
        }
        foreach (var ciId in request.CiIds.Distinct())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chg_change_cis (change_id, ci_id, role) SELECT @id, @ciId, 'touched'
                WHERE NOT EXISTS (SELECT 1 FROM chg_change_cis WHERE change_id = @id AND ci_id = @ciId AND role = 'touched')
                """, new { id = change.Id, ciId }, transaction, cancellationToken: ct));
        }
        return ChangeControlDecision.Allow;
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string State { get; init; } = "";
    }
}
