using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>Runs the external peers (radclient, pyrad) with a hard time limit.</summary>
public static class Peer
{
    public const string Radclient = "/usr/bin/radclient";
    public const string Python = "/usr/bin/python3";
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Peers", "radius_peer.py");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 20)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in {timeoutSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>radclient with FreeRADIUS's dictionaries: one try, <paramref name="timeoutSeconds"/> to answer.</summary>
    public static Task<Result> RadclientAsync(int port, string command, string secret, string input, double timeoutSeconds = 5) =>
        RunAsync(Radclient, ["-D", "/usr/share/freeradius", "-x", "-r", "1", "-t", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"127.0.0.1:{port}", command, secret], input);

    /// <summary>radius_peer.py send/build: returns its JSON answer.</summary>
    public static async Task<JsonObject> PyradAsync(string command, object payload)
    {
        var result = await RunAsync(Python, [Script, command, JsonSerializer.Serialize(payload)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"radius_peer.py {command} failed: {result}");
        }
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    public static byte[] Hex(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>());
}
