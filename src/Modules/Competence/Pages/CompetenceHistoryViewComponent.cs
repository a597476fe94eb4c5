using Certus.Data.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Competence.Pages;

/// <summary>A competence record's audit history, its actions named in the module's words.</summary>
public sealed class CompetenceHistoryViewComponent(AuditQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string recordType, string recordId) =>
        View(await queries.HistoryAsync(recordType, recordId, HttpContext.RequestAborted));
}
