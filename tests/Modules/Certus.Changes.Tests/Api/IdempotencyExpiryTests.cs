using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Changes.Tests.Api;

/// <summary>A change's Idempotency-Key holds for 24 hours, then raises a new change and is purged; the host's clock is moved by hand.</summary>
public abstract class IdempotencyExpiryTests(CertusFixture host, ManualClock clock)
{
    private static async Task<Guid> RaiseAsync(HttpClient client, string key, string title) =>
        (await ChangeApi.ReadAsync(await Idempotency.PostAsync(client, "/api/v1/changes", new { type = "normal", title, reason = "Vendor advisory" }, key),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private Task<long> KeysAsync(string key) => Idempotency.KeysAsync(host, "chg_idempotency", key);

    [Fact]
    public async Task A_key_replays_for_24_hours_then_raises_a_new_change_and_housekeeping_deletes_it_once_expired()
    {
        var key = "itsm-sync-" + Guid.NewGuid().ToString("N");
        using var admin = await host.AdminAsync();
        var first = await RaiseAsync(admin, key, "Patch the core switches");

        clock.Advance(TimeSpan.FromHours(23));
        using (var later = await host.AdminAsync())
        {
            (await RaiseAsync(later, key, "Patch the core switches")).ShouldBe(first);
        }

        clock.Advance(TimeSpan.FromHours(2));
        using var nextDay = await host.AdminAsync();
        var second = await RaiseAsync(nextDay, key, "Patch the core switches again");
        second.ShouldNotBe(first);
        (await RaiseAsync(nextDay, key, "Patch the core switches again")).ShouldBe(second);
        (await KeysAsync(key)).ShouldBe(1);

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var purged = await Idempotency.HousekeepAsync(host);

        purged["chg_idempotency"].ShouldBeGreaterThanOrEqualTo(1);
        (await KeysAsync(key)).ShouldBe(0);
        using var after = await host.AdminAsync();
        (await after.GetFromJsonAsync<JsonElement>($"/api/v1/changes/{second}")).GetProperty("title").GetString().ShouldBe("Patch the core switches again");
    }
}

public sealed class IdempotencyExpiryTestsOnSqlite(ClockedSqliteCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedSqliteCertus>;

public sealed class IdempotencyExpiryTestsOnPostgres(ClockedPostgresCertus host) : IdempotencyExpiryTests(host, host.Clock), IClassFixture<ClockedPostgresCertus>;
