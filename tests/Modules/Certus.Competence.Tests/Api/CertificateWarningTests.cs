using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Competence.Features;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Api;

/// <summary>Certus with a real SMTP server on loopback, delivering the outbox every second.</summary>
public interface IMailHost
{
    CertusFixture Host { get; }

    SmtpTestServer Smtp { get; }
}

internal static class MailSettings
{
    public static IDictionary<string, string?> For(SmtpTestServer smtp) => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Mail:Host"] = "127.0.0.1",
        ["Certus:Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Certus:Mail:From"] = "certus@certus.test",
        ["Certus:Mail:FromName"] = "Certus 人事行政部",
        ["Certus:Mail:PollEvery"] = "00:00:01",
        ["Certus:Mail:RetryAfter"] = "00:00:01",
        ["Certus:Mail:MaxRetryDelay"] = "00:00:01",
        ["Certus:Mail:PublicUrl"] = "https://itsm.example.test",
    };
}

public sealed class SqliteMailCertus : SqliteCertus, IMailHost
{
    public CertusFixture Host => this;

    public SmtpTestServer Smtp { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => MailSettings.For(Smtp);

    protected override Task StartingAsync() => Smtp.StartAsync();

    protected override async Task StoppedAsync() => await Smtp.DisposeAsync();
}

public sealed class PostgresMailCertus : PostgresCertus, IMailHost
{
    public CertusFixture Host => this;

    public SmtpTestServer Smtp { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => MailSettings.For(Smtp);

    protected override Task StartingAsync() => Smtp.StartAsync();

    protected override async Task StoppedAsync() => await Smtp.DisposeAsync();
}

/// <summary>Expiry warnings reach the holder and the records keepers by mail, once per threshold.</summary>
public abstract class CertificateWarningTests(IMailHost mail)
{
    private CertusFixture Host => mail.Host;

    private async Task<int> WarnAsync() => await Host.Services.GetRequiredService<WarnExpiringCertificates>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task Holders_and_the_management_representative_are_warned_once_per_threshold_and_on_expiry()
    {
        var world = await CompetenceWorld.ForAsync(Host);
        var zhang = await world.StaffAsync();
        var wu = await world.StaffAsync("management-representative");
        var ccnp = await world.CertificateAsync(zhang.Id, "CCNP Enterprise", CompetenceWorld.Day(-1000), CompetenceWorld.Day(10));

        (await WarnAsync()).ShouldBeGreaterThanOrEqualTo(1);
        var toHolder = await mail.Smtp.WaitForAsync(zhang.Email);
        toHolder.Subject.ShouldBe($"Certificate CCNP Enterprise of {await NameAsync(world, zhang.Id)} expires on {CompetenceWorld.Day(10)}");
        toHolder.Text.ShouldContain("in 10 days");
        toHolder.Text.ShouldContain($"https://itsm.example.test/competence/people/{zhang.Id}#certificates");
        (await mail.Smtp.WaitForAsync(wu.Email)).Subject.ShouldContain("CCNP Enterprise");

        // Run again: the 14-day warning was sent and recorded, nothing more goes out.
        (await WarnAsync()).ShouldBe(0);
        var url = $"{CompetenceWorld.Api}/certificates/{ccnp.GetProperty("id").GetGuid()}";
        var sent = (await world.Admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("warningsSent").EnumerateArray().ToList();
        sent.Select(w => w.GetProperty("thresholdDays").GetInt32()).ShouldBe([14]);
        mail.Smtp.Received().Count(m => m.To.Contains(zhang.Email, StringComparer.OrdinalIgnoreCase)).ShouldBe(1);

        // A corrected expiry date 50 days out arms the 60-day warning for that date.
        var current = await world.Admin.GetFromJsonAsync<JsonElement>(url);
        await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, url, new
        {
            name = "CCNP Enterprise", issuer = "Cisco Systems", number = current.GetProperty("number").GetString(), issuedOn = CompetenceWorld.Day(-1000),
            expiresOn = CompetenceWorld.Day(50),
        }, current.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        (await WarnAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await world.Admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("warningsSent").EnumerateArray()
            .Select(w => (w.GetProperty("thresholdDays").GetInt32(), w.GetProperty("expiresOn").GetString())).ShouldBe([(14, CompetenceWorld.Day(10)), (60, CompetenceWorld.Day(50))]);

        // An expired licence gets one "expired" notice in the holder's language; a retired one none.
        var yang = await world.StaffAsync();
        await SetCultureAsync(world, yang, "zh-CN");
        await world.CertificateAsync(yang.Id, "电工证", CompetenceWorld.Day(-2000), CompetenceWorld.Day(-3));
        var retired = await world.CertificateAsync(yang.Id, "CCNA", CompetenceWorld.Day(-2000), CompetenceWorld.Day(-5));
        await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Post, $"{CompetenceWorld.Api}/certificates/{retired.GetProperty("id").GetGuid()}/retire",
            new { reason = "不再需要 / no longer needed" }, 1), HttpStatusCode.OK);
        (await WarnAsync()).ShouldBeGreaterThanOrEqualTo(1);
        var expired = await mail.Smtp.WaitForAsync(yang.Email);
        expired.Subject.ShouldContain("的证书 电工证 已于");
        (await WarnAsync()).ShouldBe(0);
        mail.Smtp.Received().Where(m => m.To.Contains(yang.Email, StringComparer.OrdinalIgnoreCase)).Select(m => m.Subject).ShouldNotContain(s => s.Contains("CCNA"));
    }

    private static async Task<string> NameAsync(CompetenceWorld world, Guid user) =>
        (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}")).GetProperty("displayName").GetString()!;

    private static async Task SetCultureAsync(CompetenceWorld world, Builders.TestUser user, string culture)
    {
        var current = await world.Admin.GetAsync($"/api/v1/users/{user.Id}");
        var version = (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        (await world.Admin.PatchIfMatchAsync($"/api/v1/users/{user.Id}", new { culture }, version)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class CertificateWarningTestsOnSqlite(SqliteMailCertus host) : CertificateWarningTests(host), IClassFixture<SqliteMailCertus>;

public sealed class CertificateWarningTestsOnPostgres(PostgresMailCertus host) : CertificateWarningTests(host), IClassFixture<PostgresMailCertus>;
