using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Audits.Tests.Api;

/// <summary>Builds what an internal audit needs through the API: a programme, an area with its owner, auditors.</summary>
public sealed class AuditWorld(Builders build)
{
    public HttpClient Admin => build.Admin;

    public Builders Build => build;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<AuditWorld> ForAsync(CertusFixture host) => new(await Builders.ForAsync(host));

    /// <summary>The programme of <paramref name="year"/>, created once per database.</summary>
    public async Task EnsureProgrammeAsync(int year = 2026)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/internal-audits/programmes", new { year, title = $"{year} 年度内审计划 Audit programme", objectives = "覆盖全部 ISO 20000 过程" });
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.BadRequest);
    }

    public async Task<Builders.TestUser> StaffAsync(string role = "technician") => await build.UserAsync(await build.ProviderIdAsync(), role);

    public async Task<JsonElement> AreaAsync(Guid ownerId, params Guid[] members) =>
        await ReadAsync(await Admin.PostAsJsonAsync("/api/v1/internal-audits/areas",
            new { name = Builders.Unique("事件管理 Incident management"), description = "服务台与二线支持", ownerId, memberIds = members }), HttpStatusCode.Created);

    /// <summary>A planned audit of one area owned by a fresh technician, led by a fresh auditor.</summary>
    public async Task<(JsonElement Audit, Builders.TestUser Owner, Builders.TestUser Auditor)> PlannedAuditAsync(string[]? criteria = null)
    {
        await EnsureProgrammeAsync();
        var owner = await StaffAsync();
        var auditor = await StaffAsync("auditor");
        var area = await AreaAsync(owner.Id);
        var audit = await ReadAsync(await Admin.PostAsJsonAsync("/api/v1/internal-audits", new
        {
            year = 2026, title = "事件管理过程审核 Incident management audit", scope = "服务台、事件记录与关闭 / service desk, incident records and closure",
            criteria = criteria ?? ["8.6.1", "2005:8.2"], areaIds = new[] { area.GetProperty("id").GetGuid() }, leadAuditorId = auditor.Id,
            plannedStart = "2026-03-02", plannedEnd = "2026-03-03",
        }), HttpStatusCode.Created);
        return (audit, owner, auditor);
    }

    public async Task<JsonElement> MoveAsync(Guid id, int version, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/internal-audits/{id}/moves", body, version), expected);

    public async Task<JsonElement> GetAsync(Guid id) => await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/internal-audits/{id}");

    /// <summary>Starts the audit and answers every checklist item as conforming.</summary>
    public async Task<JsonElement> StartAndAnswerAsync(JsonElement audit)
    {
        var id = audit.GetProperty("id").GetGuid();
        await MoveAsync(id, audit.GetProperty("version").GetInt32(), new { move = "start" });
        foreach (var item in audit.GetProperty("checklist").EnumerateArray())
        {
            await ReadAsync(await Admin.PatchIfMatchAsync($"/api/v1/internal-audits/{id}/checklist/{item.GetProperty("id").GetGuid()}",
                new { question = item.GetProperty("question").GetString(), result = "conforming", notes = "抽查 10 条记录 / 10 records sampled" }, 1), HttpStatusCode.OK);
        }
        return await GetAsync(id);
    }

    /// <summary>Plans, conducts and reports an audit with no nonconformity; returns it as reported.</summary>
    public async Task<JsonElement> ReportedAuditAsync()
    {
        var (audit, _, _) = await PlannedAuditAsync();
        var started = await StartAndAnswerAsync(audit);
        return await MoveAsync(started.GetProperty("id").GetGuid(), started.GetProperty("version").GetInt32(), new { move = "report", summary = "体系运行有效 / the system works" });
    }
}
