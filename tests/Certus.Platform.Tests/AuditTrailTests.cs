using System.Net.Http.Json;
using System.Text.Json;
using Certus.Data;
using Certus.Testing;
using Dapper;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

/// <summary>ISO 20000-1 7.5.4: the record of changes cannot be altered unnoticed.</summary>
public abstract class AuditTrailTests(CertusFixture host)
{
    [Fact]
    public async Task The_chain_verifies_intact_after_ordinary_work()
    {
        var build = await Builders.ForAsync(host);
        await build.OrganisationAsync();

        var result = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");

        result.GetProperty("intact").GetBoolean().ShouldBeTrue();
        result.GetProperty("entriesChecked").GetInt64().ShouldBeGreaterThan(2);
    }

    [Fact]
    public async Task The_database_itself_refuses_to_update_or_delete_audit_entries()
    {
        await using var connection = await host.Database.OpenAsync();

        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE sys_audit_entries SET actor_name = 'someone else'"));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM sys_audit_entries"));
    }

    [Fact]
    public async Task A_tampered_entry_is_named_as_the_first_broken_link()
    {
        // Its own host: tampering breaks the chain for good.
        var fixture = host.Provider == DatabaseProvider.Sqlite ? (CertusFixture)new SqliteCertus() : new PostgresCertus();
        await fixture.InitializeAsync();
        try
        {
            var build = await Builders.ForAsync(fixture);
            var id = await build.OrganisationAsync(name: "Tamper target");
            long seq;
            await using (var connection = await fixture.Database.OpenAsync())
            {
                seq = await connection.ExecuteScalarAsync<long>(
                    "SELECT seq FROM sys_audit_entries WHERE record_id = @id", new { id = id.ToString("D") });
                // Someone with database access bypasses the append-only trigger and rewrites history.
                await connection.ExecuteAsync(fixture.Provider == DatabaseProvider.Sqlite
                    ? "DROP TRIGGER trg_sys_audit_entries_no_update"
                    : "ALTER TABLE sys_audit_entries DISABLE TRIGGER trg_sys_audit_entries_append_only");
                await connection.ExecuteAsync("UPDATE sys_audit_entries SET changes = '[]' WHERE seq = @seq", new { seq });
            }

            var result = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");

            result.GetProperty("intact").GetBoolean().ShouldBeFalse();
            result.GetProperty("brokenAtSeq").GetInt64().ShouldBe(seq);
            result.GetProperty("recordType").GetString().ShouldBe("organisation");
            result.GetProperty("recordId").GetString().ShouldBe(id.ToString("D"));
            result.GetProperty("problem").GetString()!.ShouldContain("altered");
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_deleted_entry_is_detected_as_a_gap()
    {
        var fixture = host.Provider == DatabaseProvider.Sqlite ? (CertusFixture)new SqliteCertus() : new PostgresCertus();
        await fixture.InitializeAsync();
        try
        {
            var build = await Builders.ForAsync(fixture);
            await build.OrganisationAsync();
            await build.OrganisationAsync();
            await using (var connection = await fixture.Database.OpenAsync())
            {
                await connection.ExecuteAsync(fixture.Provider == DatabaseProvider.Sqlite
                    ? "DROP TRIGGER trg_sys_audit_entries_no_delete"
                    : "ALTER TABLE sys_audit_entries DISABLE TRIGGER trg_sys_audit_entries_append_only");
                await connection.ExecuteAsync("DELETE FROM sys_audit_entries WHERE seq = 2");
            }

            var result = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");

            result.GetProperty("intact").GetBoolean().ShouldBeFalse();
            result.GetProperty("brokenAtSeq").GetInt64().ShouldBe(3);
            result.GetProperty("problem").GetString()!.ShouldContain("removed");
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_unbroken_chain()
    {
        var build = await Builders.ForAsync(host);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => build.OrganisationAsync()));

        var result = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        result.GetProperty("intact").GetBoolean().ShouldBeTrue();
    }
}

public sealed class AuditTrailTestsOnSqlite(SqliteCertus host) : AuditTrailTests(host), IClassFixture<SqliteCertus>;

public sealed class AuditTrailTestsOnPostgres(PostgresCertus host) : AuditTrailTests(host), IClassFixture<PostgresCertus>;
