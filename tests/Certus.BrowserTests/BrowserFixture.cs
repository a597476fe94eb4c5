using Certus.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Certus.BrowserTests;

/// <summary>Certus on SQLite plus Debian's chromium, driven by Playwright (no browser download).</summary>
public sealed class BrowserFixture : SqliteCertus, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        if (!System.IO.File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} not found: install Debian's chromium (apt-get install chromium; .ci/run does).");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        await DisposeAsync();
    }

    public async Task<IPage> NewPageAsync(string locale)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1360, Height = 860 },
        });
        return await context.NewPageAsync();
    }
}
