using Certus.Data.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Web.Components;

/// <summary>A record's audit history, shown on every record page: <c>Component.InvokeAsync("RecordHistory", new { recordType, recordId })</c>.</summary>
public sealed class RecordHistoryViewComponent(AuditQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string recordType, string recordId) =>
        View(await queries.HistoryAsync(recordType, recordId, HttpContext.RequestAborted));
}
