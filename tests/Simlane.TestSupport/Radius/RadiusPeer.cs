using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace Simlane.TestSupport.Radius;

/// <summary>
/// The RADIUS peers we did not write, with a hard time limit: FreeRADIUS's radclient (freeradius-utils) and the pyrad script
/// Peers/radius_peer.py (python3-pyrad), copied next to every test project that references Simlane.TestSupport.
/// </summary>
public static class RadiusPeer
{
    public const string Secret = "testing123";
    public const string Radclient = "/usr/bin/radclient";
    public const string Python = "/usr/bin/python3";
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Peers", "radius_peer.py");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>radclient with FreeRADIUS's dictionaries: one try, <paramref name="timeoutSeconds"/> to answer.</summary>
    public static Task<Result> RadclientAsync(int port, string command, string secret, string input, double timeoutSeconds = 5) =>
        RunAsync(Radclient, ["-D", "/usr/share/freeradius", "-x", "-r", "1", "-t", timeoutSeconds.ToString(CultureInfo.InvariantCulture),
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

    /// <summary>
    /// One request built by pyrad and sent <paramref name="repeat"/> times (same bytes); the replies pyrad decoded and verified,
    /// null for none within <paramref name="timeout"/> seconds.
    /// </summary>
    public static async Task<List<JsonObject?>> SendAsync(int port, string kind, IEnumerable<(string Name, object Value)> attrs,
        int? id = null, int repeat = 1, double timeout = 5, string secret = Secret)
    {
        var payload = new Dictionary<string, object>
        {
            ["host"] = "127.0.0.1", ["port"] = port, ["secret"] = secret, ["kind"] = kind, ["repeat"] = repeat, ["timeout"] = timeout,
            ["attrs"] = attrs.Select(a => new[] { a.Name, a.Value }).ToArray(),
        };
        if (id is not null)
        {
            payload["id"] = id;
        }

        var replies = (await PyradAsync("send", payload))["replies"]!.AsArray();
        foreach (var reply in replies.OfType<JsonObject>())
        {
            reply["authentic"]!.GetValue<bool>().ShouldBeTrue($"pyrad rejected the reply's authenticator: {reply}");
            reply["message_authenticator"]!.GetValue<bool>().ShouldBeTrue($"bad Message-Authenticator: {reply}");
        }

        return replies.Select(r => r as JsonObject).ToList();
    }

    /// <summary>The first value of an attribute in a pyrad reply, as text.</summary>
    public static string? Attr(this JsonObject reply, string name) =>
        reply["attrs"]![name] is JsonArray values ? values[0]!.ToString() : null;

    public static int Code(this JsonObject? reply) => reply.ShouldNotBeNull("no reply")["code"]!.GetValue<int>();

    /// <summary>The bytes of a hex string in a pyrad answer.</summary>
    public static byte[] Hex(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>());

    /// <summary>Runs <paramref name="file"/>, killing it (and failing) after <paramref name="timeoutSeconds"/>: a bound, not a measurement.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 30)
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
}
