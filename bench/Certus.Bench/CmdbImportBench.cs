using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Certus.Testing;
using Dapper;

namespace Certus.Bench;

/// <summary>
/// Issue 5's import goal: 100,000 CIs from CSV through <c>POST /api/v1/cis/import</c> in at most 60 s on SQLite,
/// first as a dry run, then for real. Baseline in the same run: the same rows inserted into <c>cmdb_items</c> with
/// one prepared plain INSERT in one transaction (no validation, versions or audit entries).
/// </summary>
public static class CmdbImportBench
{
    public static async Task RunAsync(string provider, int rows)
    {
        CertusFixture host = provider == "postgres" ? new PostgresCertus() : new SqliteCertus();
        await host.InitializeAsync();
        var results = new List<Result>();
        try
        {
            var dataset = $"{provider}, {rows:N0} servers in one CSV";
            using var admin = await host.AdminAsync();
            var csv = Csv(rows, "bench", CertusFixture.AdminEmail);

            var clock = Stopwatch.StartNew();
            (await PostAsync(admin, "/api/v1/cis/import?dryRun=true", csv)).EnsureSuccessStatusCode();
            var dry = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var response = await PostAsync(admin, "/api/v1/cis/import", csv);
            var body = await response.Content.ReadAsStringAsync();
            response.EnsureSuccessStatusCode();
            var import = clock.Elapsed.TotalSeconds;

            Guid classId;
            await using (var connection = await host.Database.OpenAsync())
            {
                classId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM cmdb_classes WHERE key = 'server'");
                var created = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cmdb_items WHERE name LIKE 'bench-%'");
                if (created != rows)
                {
                    throw new InvalidOperationException($"expected {rows} CIs, found {created}: {body}");
                }
            }
            clock.Restart();
            await host.Database.WriteAsync(async (connection, tx) =>
            {
                var now = DateTimeOffset.UtcNow;
                for (var i = 0; i < rows; i++)
                {
                    await connection.ExecuteAsync(
                        """
                        INSERT INTO cmdb_items (id, identifier, name, class_id, status, location, version_label, criticality, description, attributes, created_at, updated_at, version)
                        VALUES (@id, @identifier, @name, @classId, 'received', @location, 'BIOS 2.1', 'medium', '', @attributes, @now, @now, 1)
                        """,
                        new
                        {
                            id = Guid.CreateVersion7(), identifier = $"RAW-{i:D6}", name = $"raw-{i:D6}", classId, location = $"上海一号机房 A{i % 40}-{i % 12:D2}",
                            attributes = $$"""{"cpuCores":{{8 + (i % 56)}},"memoryGb":256,"manufacturer":"Huawei"}""", now,
                        }, tx);
                }
                return 0;
            });
            var raw = clock.Elapsed.TotalSeconds;
            results.Add(new Result("cmdb.import.csv", dataset, "import time", import, "s", raw,
                "validated, identifiers, a version row and an audit entry per CI, one transaction; baseline: plain INSERT of the same rows into cmdb_items only"));
            results.Add(new Result("cmdb.import.csv", dataset, "dry run time", dry, "s", null, "every row checked, nothing written, no write lock held"));
            results.Add(new Result("cmdb.import.csv", dataset, "throughput", rows / import, "CIs/s", rows / raw));
        }
        finally
        {
            await host.DisposeAsync();
        }
        await Results.WriteAsync($"cmdb-import-{provider}.json", results);
    }

    private static byte[] Csv(int rows, string prefix, string owner)
    {
        var text = new StringBuilder("class,name,status,owner,location,versionLabel,criticality,attr.cpuCores,attr.memoryGb,attr.manufacturer\r\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"server,{prefix}-{i:D6},received,{owner},上海一号机房 A{i % 40}-{i % 12:D2},BIOS 2.1,medium,{8 + (i % 56)},256,Huawei\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, byte[] csv)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "inventory.csv");
        return client.PostAsync(url, form);
    }
}
