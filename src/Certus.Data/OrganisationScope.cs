using Certus.Kernel.Security;

namespace Certus.Data;

/// <summary>
/// The one place where a query is limited to the organisations the caller may see. Every query over
/// customer-owned rows adds <see cref="Filter"/> and passes <see cref="Parameter"/> as <c>@scopeOrg</c>.
/// </summary>
public static class OrganisationScope
{
    public const string ParameterName = "scopeOrg";

    /// <summary>A SQL condition on <paramref name="column"/>: always true for provider staff.</summary>
    public static string Filter(ICurrentUser caller, string column) =>
        caller.VisibleOrganisationId is null ? "1 = 1" : $"{column} = @{ParameterName}";

    public static Guid? Parameter(ICurrentUser caller) => caller.VisibleOrganisationId;
}
