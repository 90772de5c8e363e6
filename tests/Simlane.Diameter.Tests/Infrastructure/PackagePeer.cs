using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>
/// A Diameter peer we did not write: tests/Simlane.TestSupport/Peers/diameter/gy_peer.js, a Gy client (PGW/SMF
/// stand-in) on the npm package <c>diameter</c> 0.7.0, its codec and dictionary. It connects, sends a freeDiameter-like
/// CER, then takes one JSON command per stdin line and prints one JSON event per stdout line (the script's header
/// documents both). scripts/test installs its npm packages (npm ci in that folder); a missing install fails the test.
/// </summary>
public sealed class PackagePeer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly Process process;
    private readonly Channel<JsonObject> events = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> unclaimed = [];
    private readonly List<string> transcript = [];
    private readonly Task pump;
    private int nextId;

    private PackagePeer(Process process)
    {
        this.process = process;
        pump = PumpAsync();
    }

    public static string Folder
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Simlane.slnx")))
            {
                directory = directory.Parent;
            }
            directory.ShouldNotBeNull("the repository root (Simlane.slnx) above the test output");
            return Path.Combine(directory.FullName, "tests", "Simlane.TestSupport", "Peers", "diameter");
        }
    }

    public static PackagePeer Start(int port, string originHost = "pgw.test.example")
    {
        var folder = Folder;
        File.Exists(Path.Combine(folder, "node_modules", "diameter", "package.json")).ShouldBeTrue(
            $"the npm package diameter is not installed in {folder}; scripts/test installs it (npm ci --prefix {folder})");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "gy_peer.js"));
        start.ArgumentList.Add(JsonSerializer.Serialize(new
        {
            host = "127.0.0.1",
            port,
            originHost,
            originRealm = "test.example",
            destinationRealm = TestApplication.OriginRealm,
        }));
        return new PackagePeer(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    private async Task PumpAsync()
    {
        var errors = ReadErrorsAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (transcript)
            {
                transcript.Add(line);
            }
            if (JsonNode.Parse(line) is JsonObject obj)
            {
                await events.Writer.WriteAsync(obj);
            }
        }
        events.Writer.TryComplete();
        await errors;
    }

    private async Task ReadErrorsAsync()
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (transcript)
            {
                transcript.Add("stderr: " + line);
            }
        }
    }

    /// <summary>Sends one command (an "id" is added) and returns that id.</summary>
    public async Task<string> SendAsync(JsonObject command)
    {
        string id = $"c{Interlocked.Increment(ref nextId)}";
        command["id"] = id;
        await process.StandardInput.WriteLineAsync(command.ToJsonString());
        await process.StandardInput.FlushAsync();
        return id;
    }

    /// <summary>The first event (in order, including earlier unclaimed ones) that matches; fails after 15 s.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        var found = unclaimed.FirstOrDefault(match);
        if (found is not null)
        {
            unclaimed.Remove(found);
            return found;
        }
        using var limit = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                var next = await events.Reader.ReadAsync(limit.Token);
                if (match(next))
                {
                    return next;
                }
                unclaimed.Add(next);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new ShouldAssertException($"gy_peer.js never printed {what}; transcript:\n{Transcript}");
        }
    }

    /// <summary>The result line of the command with this id.</summary>
    public Task<JsonObject> ResultAsync(string id) => WaitForAsync(e => (string?)e["id"] == id, $"a result for {id}");

    public string Transcript
    {
        get
        {
            lock (transcript)
            {
                return string.Join('\n', transcript);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close(); // the script exits when stdin closes
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        await pump.WaitAsync(TimeSpan.FromSeconds(5));
        process.Dispose();
    }
}
