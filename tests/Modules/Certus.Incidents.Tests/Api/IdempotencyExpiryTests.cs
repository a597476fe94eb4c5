using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Api;

/// <summary>
/// An Idempotency-Key holds for 24 hours: a retry within them answers with the first incident, a request with the same
/// key after them logs a new one, and the hourly housekeeping deletes expired keys. The host's clock is moved by hand.
/// </summary>
public abstract class IdempotencyExpiryTests(CertusFixture host, ManualClock clock)
{
    private static async Task<(Guid Id, bool Replayed)> LogAsync(HttpClient agent, IncidentDesk desk, string key, string title)
    {
        var response = await Idempotency.PostAsync(agent, "/api/v1/incidents",
            new { title, channel = "monitoring", organisationId = desk.Customer, callerName = "Zabbix" }, key);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), response.Headers.Contains("Idempotent-Replayed"));
    }

    private Task<long> KeysAsync(string key) => Idempotency.KeysAsync(host, "inc_idempotency", key);

    [Fact]
    public async Task A_key_replays_for_24_hours_and_after_them_the_same_key_logs_a_new_incident()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        var key = "zabbix-" + Guid.NewGuid().ToString("N");
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var (first, firstReplayed) = await LogAsync(agent, desk, key, "Disk full on db01");
        firstReplayed.ShouldBeFalse();

        clock.Advance(TimeSpan.FromHours(23));
        // Sign in again: the access token of a day ago has expired too.
        using var later = await desk.Build.ClientAsync(desk.Agent);
        (await LogAsync(later, desk, key, "Disk full on db01")).ShouldBe((first, true));

        clock.Advance(TimeSpan.FromHours(2));
        using var nextDay = await desk.Build.ClientAsync(desk.Agent);
        var (second, secondReplayed) = await LogAsync(nextDay, desk, key, "Disk full on db01 again");
        secondReplayed.ShouldBeFalse("the key expired 24 hours after the first request");
        second.ShouldNotBe(first);
        (await LogAsync(nextDay, desk, key, "Disk full on db01 again")).ShouldBe((second, true));
        (await KeysAsync(key)).ShouldBe(1, "the expired row was replaced, not kept beside the new one");
        (await nextDay.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{first}")).GetProperty("title").GetString().ShouldBe("Disk full on db01");
    }

    [Fact]
    public async Task Housekeeping_deletes_expired_keys_and_keeps_the_others()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        var old = "old-" + Guid.NewGuid().ToString("N");
        var fresh = "fresh-" + Guid.NewGuid().ToString("N");
        using (var agent = await desk.Build.ClientAsync(desk.Agent))
        {
            await LogAsync(agent, desk, old, "Logged a day ago");
        }
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using (var agent = await desk.Build.ClientAsync(desk.Agent))
        {
            await LogAsync(agent, desk, fresh, "Logged now");
        }

        var purged = await Idempotency.HousekeepAsync(host);

        purged["inc_idempotency"].ShouldBeGreaterThanOrEqualTo(1);
        (await KeysAsync(old)).ShouldBe(0);
        (await KeysAsync(fresh)).ShouldBe(1);
    }
}

public sealed class IdempotencyExpiryTestsOnSqlite(ClockedSqliteCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedSqliteCertus>;

public sealed class IdempotencyExpiryTestsOnPostgres(ClockedPostgresCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedPostgresCertus>;
