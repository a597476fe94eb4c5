using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Api;

public abstract class AttachmentTests(CertusFixture host)
{
    private static MultipartFormDataContent File(string name, byte[] content)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "file", name);
        return form;
    }

    [Fact]
    public async Task A_log_file_is_attached_listed_and_downloaded_as_a_file_never_inline()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogForCustomerAsync(agent);
        var id = incident.GetProperty("id").GetGuid();
        var bytes = Encoding.UTF8.GetBytes("2026-11-21 09:12 UPS-A2 output fault\n");

        var created = await agent.PostAsync($"/api/v1/incidents/{id}/attachments", File("ups-a2.log", bytes));

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var attachment = await created.Content.ReadFromJsonAsync<JsonElement>();
        attachment.GetProperty("size").GetInt64().ShouldBe(bytes.Length);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/attachments")).GetArrayLength().ShouldBe(1);
        var download = await agent.GetAsync($"/api/v1/incidents/{id}/attachments/{attachment.GetProperty("id").GetGuid()}");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task Web_pages_and_scripts_are_refused_with_415_and_oversized_files_with_413()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogForCustomerAsync(agent)).GetProperty("id").GetGuid();

        var html = await agent.PostAsync($"/api/v1/incidents/{id}/attachments", File("invoice.html", "<script>alert(1)</script>"u8.ToArray()));
        var svg = await agent.PostAsync($"/api/v1/incidents/{id}/attachments", File("logo.svg", "<svg onload=alert(1)>"u8.ToArray()));
        var big = await agent.PostAsync($"/api/v1/incidents/{id}/attachments", File("dump.zip", new byte[(10 * 1024 * 1024) + 1]));

        html.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        svg.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        big.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/attachments")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Customers_see_public_attachments_of_their_own_incidents_only()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        var other = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        using var stranger = await other.Build.ClientAsync(other.CustomerUser);
        var id = (await desk.LogForCustomerAsync(agent)).GetProperty("id").GetGuid();
        await agent.PostAsync($"/api/v1/incidents/{id}/attachments?isPublic=false", File("vendor-case.txt", "internal"u8.ToArray()));
        var shared = await customer.PostAsync($"/api/v1/incidents/{id}/attachments", File("screenshot.png", [0x89, 0x50, 0x4E, 0x47]));
        shared.StatusCode.ShouldBe(HttpStatusCode.Created);

        var seen = await customer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/attachments");

        seen.GetArrayLength().ShouldBe(1);
        seen[0].GetProperty("fileName").GetString().ShouldBe("screenshot.png");
        (await stranger.GetAsync($"/api/v1/incidents/{id}/attachments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/incidents/{id}/attachments", File("x.txt", "x"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class AttachmentTestsOnSqlite(SqliteCertus host) : AttachmentTests(host), IClassFixture<SqliteCertus>;

public sealed class AttachmentTestsOnPostgres(PostgresCertus host) : AttachmentTests(host), IClassFixture<PostgresCertus>;
