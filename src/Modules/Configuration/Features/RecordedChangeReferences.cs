using System.Data.Common;
using System.Text.RegularExpressions;
using Certus.Configuration.Contracts;
using Certus.Kernel.Errors;

namespace Certus.Configuration.Features;

/// <summary>
/// Change control until change management is installed: a controlled CI changes only when the user names the change
/// that allows it. The reference is recorded with the CI's version and in the audit trail, but not verified: the
/// change module replaces this with a check that the change exists and is authorised.
/// </summary>
public sealed partial class RecordedChangeReferences(Texts<Strings> text) : IChangeControl
{
    public Task<ChangeControlDecision> AuthoriseAsync(ChangeControlRequest request, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        Task.FromResult(request.ChangeRef switch
        {
            null or "" => ChangeControlDecision.Refuse(text["Control.ChangeRequired"]),
            var r when !Reference().IsMatch(r) => ChangeControlDecision.Refuse(text["Control.ChangeFormat"]),
            _ => ChangeControlDecision.Allow,
        });

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{1,39}$")]
    private static partial Regex Reference();
}
