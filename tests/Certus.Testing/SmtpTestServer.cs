using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Certus.Testing;

/// <summary>A mail as the test SMTP server received and parsed it.</summary>
public sealed record ReceivedMail(string? From, IReadOnlyList<string> To, string Subject, string Text, string? Html);

/// <summary>
/// A real SMTP server on a loopback port: nodemailer's <c>smtp-server</c> run by <c>smtp/server.js</c>, which writes
/// each mail it receives into <see cref="Folder"/>. Its npm packages are restored with <c>npm ci</c> on first use,
/// so a fresh clone needs only node and npm (as the web project's own build does).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Restore = new(1, 1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private Process? _process;

    public SmtpTestServer()
    {
        Port = FreePort();
        Folder = Path.Combine(Path.GetTempPath(), "certus-tests", "smtp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public int Port { get; }

    public string Folder { get; }

    public bool IsRunning => _process is { HasExited: false };

    private static string ScriptFolder => Path.Combine(RepositoryPaths.Root, "tests", "Certus.Testing", "smtp");

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        await EnsureRestoredAsync();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node")
            {
                ArgumentList = { "server.js", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder },
                WorkingDirectory = ScriptFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.Start();
        _process = process;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("listening", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            throw new InvalidOperationException($"The test SMTP server did not start: {line} {error}");
        }
    }

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every mail received so far.</summary>
    public IReadOnlyList<ReceivedMail> Received() =>
        Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<ReceivedMail>(File.ReadAllText(f), Json)!)
            .ToList();

    /// <summary>Waits for a mail to <paramref name="address"/>; fails after <paramref name="timeout"/> (default 30s).</summary>
    public async Task<ReceivedMail> WaitForAsync(string address, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until)
        {
            if (Received().FirstOrDefault(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase)) is { } mail)
            {
                return mail;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No mail to {address} arrived; received: {string.Join(", ", Received().SelectMany(m => m.To))}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static async Task EnsureRestoredAsync()
    {
        await Restore.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(ScriptFolder, "node_modules", ".package-lock.json")))
            {
                return;
            }
            using var npm = Process.Start(new ProcessStartInfo("npm")
            {
                ArgumentList = { "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error" },
                WorkingDirectory = ScriptFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {ScriptFolder} failed: {await output} {await error}");
            }
        }
        finally
        {
            Restore.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
