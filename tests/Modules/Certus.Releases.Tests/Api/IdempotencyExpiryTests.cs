using System.Net;
using System.Net.Http.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Releases.Tests.Api;

/// <summary>A release's Idempotency-Key holds for 24 hours, then plans a new release and is purged; the host's clock is moved by hand.</summary>
public abstract class IdempotencyExpiryTests(CertusFixture host, ManualClock clock)
{
    private static async Task<Guid> PlanAsync(HttpClient client, string key, object plan) =>
        (await Releasing.ReadAsync(await Idempotency.PostAsync(client, "/api/v1/releases", plan, key), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private Task<long> KeysAsync(string key) => Idempotency.KeysAsync(host, "rel_idempotency", key);

    [Fact]
    public async Task A_key_replays_for_24_hours_then_plans_a_new_release_and_housekeeping_deletes_it_once_expired()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, _) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("3.0");
        var items = new object[] { new { ci = ci.Identifier, versionLabel = "3.1" } };
        var monday = Releasing.Plan(code, "Monday release", [await releasing.AuthorisedChangeAsync("Gateway fix")], items);
        var tuesday = Releasing.Plan(code, "Tuesday release", [await releasing.AuthorisedChangeAsync("Gateway follow-up")], items);
        var key = "pipeline-" + code;
        var first = await PlanAsync(build.Admin, key, monday);

        clock.Advance(TimeSpan.FromHours(23));
        using (var later = await host.AdminAsync())
        {
            (await PlanAsync(later, key, tuesday)).ShouldBe(first, "within 24 hours the key answers with the first release, whatever is sent");
        }

        clock.Advance(TimeSpan.FromHours(2));
        using var nextDay = await host.AdminAsync();
        var second = await PlanAsync(nextDay, key, tuesday);
        second.ShouldNotBe(first);
        (await KeysAsync(key)).ShouldBe(1);

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var purged = await Idempotency.HousekeepAsync(host);

        purged["rel_idempotency"].ShouldBeGreaterThanOrEqualTo(1);
        (await KeysAsync(key)).ShouldBe(0);
        using var after = await host.AdminAsync();
        (await after.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/releases?service={code}")).GetProperty("total").GetInt64().ShouldBe(2);
    }
}

public sealed class IdempotencyExpiryTestsOnSqlite(ClockedSqliteCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedSqliteCertus>;

public sealed class IdempotencyExpiryTestsOnPostgres(ClockedPostgresCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedPostgresCertus>;
