using System.Net.Http.Json;
using System.Text.Json;
using Certus.Incidents.Features;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Api;

/// <summary>A host whose quiet period is zero, so resolved incidents are due for closing at once.</summary>
public sealed class NoQuietPeriodCertus : SqliteCertus
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Incidents:QuietPeriod"] = "00:00:00",
        ["Certus:Incidents:CheckEvery"] = "01:00:00",
    };
}

public sealed class QuietCloseTests(NoQuietPeriodCertus host) : IClassFixture<NoQuietPeriodCertus>
{
    [Fact]
    public async Task A_resolved_incident_with_no_reply_closes_after_the_quiet_period_and_an_open_one_does_not()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var resolved = await desk.LogForCustomerAsync(agent, "Quiet one");
        var open = await desk.LogForCustomerAsync(agent, "Still open");
        await IncidentDesk.MoveAsync(agent, resolved, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Done." });

        await host.Services.GetRequiredService<CloseQuietIncidents>().RunOnceAsync(CancellationToken.None);

        var closed = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{resolved.GetProperty("id").GetGuid()}");
        closed.GetProperty("status").GetString().ShouldBe("closed");
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{open.GetProperty("id").GetGuid()}")).GetProperty("status").GetString().ShouldBe("new");
        var history = await desk.Build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=incident&recordId={resolved.GetProperty("id").GetGuid()}");
        var last = history[history.GetArrayLength() - 1];
        last.GetProperty("action").GetString().ShouldBe("auto-close");
        last.GetProperty("actorName").GetString().ShouldBe("system");
    }
}
