using Certus.Web.Demo;
using Certus.Web.Platform;

// `dotnet run --project src/Certus.Web` starts Certus on ./data/certus.db; add `--demo` to load the demo
// organisation on first start.
var demo = args.Contains("--demo", StringComparer.Ordinal);
var app = CertusHost.Build(args.Where(a => a != "--demo").ToArray());
await CertusHost.PrepareDatabaseAsync(app.Services);
if (demo || app.Configuration.GetValue("Certus:Demo", false))
{
    await DemoData.LoadAsync(app.Services, Console.Out);
}
await app.RunAsync();

/// <summary>Entry point; public so the test host can find the application's assembly.</summary>
public partial class Program;
