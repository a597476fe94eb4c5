using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Api;

public abstract class ImportExportTests(CertusFixture host)
{
    private static readonly string[] Header = ["class", "name", "status", "owner", "location", "versionLabel", "criticality", "customers", "attr.cpuCores", "attr.warrantyEnds"];

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private static List<(int Row, string Field)> RowErrors(JsonElement report) =>
        [.. report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString()!))];

    private static async Task<int> CountAsync(HttpClient client, string q) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={Uri.EscapeDataString(q)}")).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_dry_run_reports_every_bad_row_and_writes_nothing_and_a_real_import_of_it_writes_nothing_either()
    {
        var admin = await host.AdminAsync();
        var cmdb = new Cmdb(admin);
        var t = Tag();
        // Two recorded servers with a part-of between them, for the cycle.
        var a = await cmdb.RegisterAsync("server", $"imp-a-{t}");
        var b = await cmdb.RegisterAsync("server", $"imp-b-{t}");
        await cmdb.RelateAsync(a.GetProperty("id").GetGuid(), "part-of", b.GetProperty("id").GetGuid());
        var file = Files.Xlsx(
            ("cis", [
                Header,
                ["server", $"imp-ok-{t}", "received", "", "", "", "", "", "16", "2028-06-30"],
                ["spaceship", $"imp-x-{t}", "received", "", "", "", "", "", "", ""],
                ["server", $"imp-num-{t}", "received", "", "", "", "", "", "many", "30/06/2028"],
                ["server", $"imp bad name {t}", "received", "", "", "", "", "", "", ""],
                ["server", $"imp-owner-{t}", "received", "nobody@nowhere.test", "", "", "", "", "", ""],
            ]),
            ("relationships", [
                ["sourceIdentifier", "type", "targetIdentifier"],
                [$"imp-ok-{t}", "runs-on", b.GetProperty("identifier").GetString()!],
                [b.GetProperty("identifier").GetString()!, "part-of", a.GetProperty("identifier").GetString()!],
            ]));

        var dry = await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/cis/import?dryRun=true", "cmdb.xlsx", file), HttpStatusCode.OK);

        var errors = RowErrors(dry);
        errors.ShouldContain((3, "class"));
        errors.ShouldContain((4, "attr.cpuCores"));
        errors.ShouldContain((4, "attr.warrantyEnds"));
        errors.ShouldContain((5, "name"));
        errors.ShouldContain((6, "owner"));
        // A server may not run on a server; the part-of back from b to a closes a cycle.
        var relationshipErrors = dry.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("sheet").GetString() == "relationships")
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("message").GetString()!)).ToList();
        relationshipErrors.ShouldContain(e => e.Item1 == 2 && e.Item2 == "type" && e.Item3.Contains("may not", StringComparison.Ordinal));
        relationshipErrors.ShouldContain(e => e.Item1 == 3 && e.Item2 == "type" && e.Item3.Contains("cycle", StringComparison.Ordinal));
        errors.ShouldNotContain(e => e.Row == 2 && e.Field != "type");
        dry.GetProperty("written").GetBoolean().ShouldBeFalse();
        (await CountAsync(admin, $"imp-ok-{t}")).ShouldBe(0);

        var real = await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/cis/import", "cmdb.xlsx", file), (HttpStatusCode)422);
        real.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain("cis[3].class");
        real.GetProperty("report").GetProperty("errors").GetArrayLength().ShouldBe(dry.GetProperty("errors").GetArrayLength());
        (await CountAsync(admin, $"imp-ok-{t}")).ShouldBe(0);
        (await CountAsync(admin, $"imp-")).ShouldBe(2);
    }

    [Fact]
    public async Task A_valid_import_registers_every_row_with_its_version_and_audit_entry_under_change_control()
    {
        var build = await Builders.ForAsync(host);
        var t = Tag();
        var customer = $"Customer {t}";
        await build.OrganisationAsync("customer", customer);
        var csv = Files.Csv(
            Header,
            ["server", $"val-1-{t}", "received", CertusFixture.AdminEmail, "上海一号机房", "BIOS 2.1", "high", customer, "32", "2028-06-30"],
            ["server", $"val-2-{t}", "in-use", "", "上海一号机房", "", "", "", "8", ""],
            ["virtual-machine", $"val-3-{t}", "", "", "", "", "", $"{customer};", "4", ""]);

        var refused = await Cmdb.ReadAsync(await Files.PostAsync(build.Admin, "/api/v1/cis/import", "cis.csv", csv), (HttpStatusCode)422);
        refused.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["cis[3].changeRef"]);
        (await CountAsync(build.Admin, $"val-")).ShouldBe(0);

        var chg = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var report = await Cmdb.ReadAsync(await Files.PostAsync(build.Admin, "/api/v1/cis/import", "cis.csv", csv,
            new Dictionary<string, string> { ["changeRef"] = chg, ["reason"] = "Initial load from the asset register" }), HttpStatusCode.OK);

        report.GetProperty("created").GetInt32().ShouldBe(3);
        report.GetProperty("written").GetBoolean().ShouldBeTrue();
        var list = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q=val-1-{t}");
        var ci = list.GetProperty("items")[0];
        ci.GetProperty("identifier").GetString()!.ShouldMatch("^SRV-[0-9]{6}$");
        ci.GetProperty("criticality").GetString().ShouldBe("high");
        ci.GetProperty("ownerName").GetString().ShouldNotBeNullOrEmpty();
        ci.GetProperty("customerNames").EnumerateArray().Select(c => c.GetString()).ShouldBe([customer]);
        ci.GetProperty("attributes").GetProperty("cpuCores").GetDecimal().ShouldBe(32m);
        var id = ci.GetProperty("id").GetGuid();
        var versions = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{id}/versions");
        versions.GetArrayLength().ShouldBe(1);
        versions[0].GetProperty("action").GetString().ShouldBe("registered");
        versions[0].GetProperty("changeRef").GetString().ShouldBe(chg);
        versions[0].GetProperty("reason").GetString().ShouldBe("Initial load from the asset register");
        var audit = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=ci&recordId={id}");
        audit.EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "created");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q=val-2-{t}")).GetProperty("items")[0].GetProperty("status").GetString().ShouldBe("in-use");
        var verify = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        verify.GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Chinese_headers_are_read_and_errors_come_in_the_callers_language()
    {
        var admin = await host.AdminAsync("zh-CN");
        var t = Tag();
        var csv = Files.Csv(
            ["分类", "名称", "状态", "位置", "属性.cpuCores"],
            ["server", $"zh-1-{t}", "received", "北京机房", "12"],
            ["server", $"zh-2-{t}", "received", "北京机房", "很多"]);

        var dry = await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/cis/import?dryRun=true", "配置项.csv", csv), HttpStatusCode.OK);

        var error = dry.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("row").GetInt32().ShouldBe(3);
        error.GetProperty("field").GetString().ShouldBe("attr.cpuCores");
        error.GetProperty("column").GetString().ShouldBe("属性.cpuCores");
        error.GetProperty("message").GetString()!.ShouldContain("必须是数字");

        var ok = Files.Csv(["分类", "名称", "状态", "位置", "属性.cpuCores"], ["server", $"zh-1-{t}", "received", "北京机房", "12"]);
        (await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/cis/import", "配置项.csv", ok), HttpStatusCode.OK)).GetProperty("created").GetInt32().ShouldBe(1);
        (await CountAsync(admin, $"zh-1-{t}")).ShouldBe(1);
    }

    [Fact]
    public async Task An_export_imports_back_unchanged_and_an_edited_export_updates_the_cis_it_names()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        await cmdb.IdcAsync(build);
        // A value a spreadsheet would run as a formula (CSV injection) goes out as text and comes back unchanged.
        await cmdb.RegisterAsync("application", $"Formula {Tag()}", attributes: new { vendor = "=HYPERLINK(\"http://evil.example\",\"x\")" });

        var csv = await build.Admin.GetByteArrayAsync("/api/v1/cis/export?format=csv&headers=zh");
        var xlsx = await build.Admin.GetByteArrayAsync("/api/v1/cis/export?format=xlsx");

        Encoding.UTF8.GetString(csv).ShouldStartWith("\uFEFF标识,分类,名称");
        Encoding.UTF8.GetString(csv).ShouldContain("'=HYPERLINK(");
        Encoding.UTF8.GetString(csv).ShouldNotContain(",=HYPERLINK(");
        var back = await Cmdb.ReadAsync(await Files.PostAsync(build.Admin, "/api/v1/cis/import", "export.csv", csv), HttpStatusCode.OK);
        back.GetProperty("errors").GetArrayLength().ShouldBe(0);
        back.GetProperty("created").GetInt32().ShouldBe(0);
        back.GetProperty("updated").GetInt32().ShouldBe(0);
        back.GetProperty("unchanged").GetInt32().ShouldBe(back.GetProperty("rows").GetInt32());
        var sheets = Files.ReadXlsx(xlsx);
        sheets["cis"][0].Take(3).ShouldBe(["identifier", "class", "name"]);
        sheets["relationships"].Count.ShouldBeGreaterThan(10);
        var again = await Cmdb.ReadAsync(await Files.PostAsync(build.Admin, "/api/v1/cis/import?dryRun=true", "export.xlsx", xlsx), HttpStatusCode.OK);
        again.GetProperty("errors").GetArrayLength().ShouldBe(0);
        again.GetProperty("unchanged").GetInt32().ShouldBe(sheets["cis"].Count - 1);

        // Edit one server's location in the workbook: that CI alone is updated, with a new version.
        var rows = sheets["cis"];
        var header = rows[0];
        var server = rows.Skip(1).First(r => r[header.IndexOf("class")] == "server");
        var location = header.IndexOf("location");
        var edited = rows.Select(r => r.Concat(Enumerable.Repeat("", header.Count - r.Count)).ToArray()).ToArray();
        edited[rows.IndexOf(server)][location] = "北京二号机房";
        var report = await Cmdb.ReadAsync(await Files.PostAsync(build.Admin, "/api/v1/cis/import", "edited.xlsx", Files.Xlsx(("cis", edited))), HttpStatusCode.OK);
        report.GetProperty("updated").GetInt32().ShouldBe(1);
        var found = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={server[0]}");
        found.GetProperty("items")[0].GetProperty("location").GetString().ShouldBe("北京二号机房");
        found.GetProperty("items")[0].GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Files_that_are_not_csv_or_xlsx_are_refused_with_415_and_customers_may_not_import_or_export()
    {
        var build = await Builders.ForAsync(host);
        var response = await Files.PostAsync(build.Admin, "/api/v1/cis/import?dryRun=true", "inventory.txt", Encoding.UTF8.GetBytes("class,name\nserver,x\n"));
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var garbage = await Files.PostAsync(build.Admin, "/api/v1/cis/import?dryRun=true", "inventory.xlsx", Encoding.UTF8.GetBytes("not a workbook"));
        garbage.StatusCode.ShouldBe((HttpStatusCode)422);

        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var client = await build.ClientAsync(customer);
        (await Files.PostAsync(client, "/api/v1/cis/import?dryRun=true", "cis.csv", Files.Csv(["class", "name"], ["server", "x"]))).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/cis/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public abstract class LargeUploadTests(CertusFixture host)
{
    [Fact]
    public async Task A_file_over_the_configured_size_is_refused_with_413()
    {
        var admin = await host.AdminAsync();
        var rows = new List<string[]> { new[] { "class", "name" } };
        rows.AddRange(Enumerable.Range(0, 20_000).Select(i => new[] { "server", $"big-{i:D6}" }));

        var response = await Files.PostAsync(admin, "/api/v1/cis/import?dryRun=true", "big.csv", Files.Csv([.. rows]));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }
}

public sealed class ImportExportTestsOnSqlite(SqliteCertus host) : ImportExportTests(host), IClassFixture<SqliteCertus>;

public sealed class ImportExportTestsOnPostgres(PostgresCertus host) : ImportExportTests(host), IClassFixture<PostgresCertus>;

public sealed class LargeUploadTestsOnSqlite(SmallUploadsOnSqlite host) : LargeUploadTests(host), IClassFixture<SmallUploadsOnSqlite>;

public sealed class LargeUploadTestsOnPostgres(SmallUploadsOnPostgres host) : LargeUploadTests(host), IClassFixture<SmallUploadsOnPostgres>;
