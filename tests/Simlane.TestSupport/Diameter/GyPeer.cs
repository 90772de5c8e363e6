using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Simlane.TestSupport.Diameter;

/// <summary>CC-Request-Type (RFC 4006 8.3).</summary>
public enum GyRequestType
{
    InitialRequest,
    UpdateRequest,
    TerminationRequest,
    EventRequest,
}

/// <summary>
/// One Credit-Control-Request as Open5GS's SMF builds it on Gy (gy_peer.js op "ccr"). Null leaves a field out or takes
/// the SMF's default: <see cref="Requested"/> null sends a Requested-Service-Unit on INITIAL and UPDATE only (as the SMF
/// does), <see cref="RequestedTotal"/> is its CC-Total-Octets (null: an empty Requested-Service-Unit); a Used-Service-Unit
/// goes with every UPDATE/TERMINATION (zeros when no usage is given) and with INITIAL/EVENT when usage is given.
/// <see cref="ReportingReason"/> (a name such as "QUOTA_EXHAUSTED" or "FINAL") lands where the SMF puts it: THRESHOLD,
/// QUOTA_EXHAUSTED and OTHER_QUOTA_TYPE inside the Used-Service-Unit, the others in the Multiple-Services-Credit-Control.
/// <see cref="Omit"/> drops top-level AVPs by name; <see cref="Extra"/> appends [name, value] pairs at the end.
/// </summary>
public sealed record GyRequest(string SessionId, GyRequestType RequestType, uint RequestNumber, string Imsi)
{
    public string? Imeisv { get; init; }
    public string? Msisdn { get; init; }
    public string? Apn { get; init; }
    public string? UeIp { get; init; }
    public uint? ChargingId { get; init; }
    public uint? RatingGroup { get; init; }
    public ulong? UsedInput { get; init; }
    public ulong? UsedOutput { get; init; }
    public ulong? UsedTotal { get; init; }
    public uint? UsedTime { get; init; }
    public bool? Requested { get; init; }
    public ulong? RequestedTotal { get; init; } = 1_000_000;
    public string? ReportingReason { get; init; }
    public string? TerminationCause { get; init; }
    public bool Retransmit { get; init; }
    public uint? HopByHopId { get; init; }
    public uint? EndToEndId { get; init; }
    public IReadOnlyList<string>? Omit { get; init; }
    public JsonArray? Extra { get; init; }
    public int TimeoutMs { get; init; } = 10_000;

    public static string Wire(GyRequestType type) => type switch
    {
        GyRequestType.InitialRequest => "INITIAL_REQUEST",
        GyRequestType.UpdateRequest => "UPDATE_REQUEST",
        GyRequestType.TerminationRequest => "TERMINATION_REQUEST",
        GyRequestType.EventRequest => "EVENT_REQUEST",
        _ => throw new InvalidEnumArgumentException(nameof(type), (int)type, typeof(GyRequestType)),
    };

    internal JsonObject ToCommand()
    {
        var command = new JsonObject
        {
            ["op"] = "ccr",
            ["sessionId"] = SessionId,
            ["requestType"] = Wire(RequestType),
            ["requestNumber"] = RequestNumber,
            ["imsi"] = Imsi,
            ["requestedTotal"] = RequestedTotal is { } total ? JsonValue.Create(total.ToString(CultureInfo.InvariantCulture)) : null,
            ["retransmit"] = Retransmit,
            ["timeoutMs"] = TimeoutMs,
        };
        void Put(string name, JsonNode? value)
        {
            if (value is not null)
            {
                command[name] = value;
            }
        }

        Put("imeisv", Imeisv);
        Put("msisdn", Msisdn);
        Put("apn", Apn);
        Put("ueIp", UeIp);
        Put("chargingId", ChargingId);
        Put("ratingGroup", RatingGroup);
        Put("requested", Requested);
        Put("reportingReason", ReportingReason);
        Put("terminationCause", TerminationCause);
        Put("hopByHopId", HopByHopId);
        Put("endToEndId", EndToEndId);
        if (UsedInput is not null || UsedOutput is not null || UsedTotal is not null || UsedTime is not null)
        {
            // 64-bit counts travel as decimal strings: exact beyond 2^53.
            var used = new JsonObject();
            void PutUsed(string name, ulong? value)
            {
                if (value is { } v)
                {
                    used[name] = v.ToString(CultureInfo.InvariantCulture);
                }
            }

            PutUsed("input", UsedInput);
            PutUsed("output", UsedOutput);
            PutUsed("total", UsedTotal);
            if (UsedTime is { } time)
            {
                used["time"] = time;
            }

            command["used"] = used;
        }

        if (Omit is not null)
        {
            command["omit"] = new JsonArray(Omit.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
        }

        Put("extra", Extra?.DeepClone());
        return command;
    }
}

/// <summary>
/// A Diameter Gy client we did not write (a PGW/SMF stand-in): Peers/diameter/gy_peer.js on the npm package
/// <c>diameter</c> 0.7.0 (node-diameter), run with node and spoken to in JSON lines. It connects to the server, sends a
/// CER like freeDiameter's (unless <c>cer</c> is false), answers DWR/DPR, answers RAR per <c>rar</c> ("answer" → 2001,
/// "unknown_session" → 5002, "ignore" → no answer), and sends what the test asks for. See the header of gy_peer.js for
/// the shape of every event.
/// </summary>
/// <remarks>
/// AVP trees (the "avps" of an answer or request) are arrays of [name, value] pairs, grouped AVPs nested arrays;
/// enumerated values are the package's names ("DIAMETER_SUCCESS", "INITIAL_REQUEST"), Unsigned64/Integer64 are
/// always decimal strings (<see cref="Unsigned64"/>), other integers numbers, addresses strings, binary OctetStrings "0x" + hex.
/// Every line is routed by its "id" (a command's result), else by its event: requests from the server, closes, other
/// events. Waits are bounds, not measurements: a missing event fails with a <see cref="TimeoutException"/> listing the
/// recent events and node's stderr.
/// </remarks>
public sealed class GyPeer : IAsyncDisposable
{
    public const string DefaultApplication = "Diameter Credit Control";
    public const string PeerFolder = "tests/Simlane.TestSupport/Peers/diameter";

    private static readonly Lazy<string> ScriptPath = new(FindScript);

    private readonly Process process;
    private readonly Inbox inbox = new();
    private readonly ConcurrentQueue<JsonObject> events = new();
    private readonly StringBuilder stderr = new();
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Task stdoutReader;
    private readonly Task stderrReader;
    private int nextId;

    private GyPeer(Process process)
    {
        this.process = process;
        stdoutReader = Task.Run(ReadStdoutAsync);
        stderrReader = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }
            }
        });
    }

    /// <summary>The gy_peer.js the wrapper runs: Peers/diameter/gy_peer.js in the repository (found by Simlane.slnx).</summary>
    public static string Script => ScriptPath.Value;

    /// <summary>The CEA line ({"id":"cer","event":"answer",...}), or its timeout/error line; null when the connection closed first or cer was false.</summary>
    public JsonObject? CapabilitiesAnswer { get; private set; }

    /// <summary>The CEA's Result-Code; 0 without a CEA.</summary>
    public int CapabilitiesResultCode { get; private set; }

    /// <summary>Every line gy_peer.js printed so far, in order.</summary>
    public IReadOnlyList<JsonObject> Events => events.ToArray();

    /// <summary>What node wrote on stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts gy_peer.js against <paramref name="host"/>:<paramref name="port"/> and waits (at most 20 s) for the CEA, or
    /// for the connection to close (a refused connect or a server that hangs up: not an exception, see
    /// <see cref="CapabilitiesAnswer"/> and <see cref="ClosedAsync"/>). With <paramref name="cer"/> false, waits for the connect.
    /// </summary>
    public static async Task<GyPeer> StartAsync(int port, string originHost = "pgw.test.example", string originRealm = "test.example",
        string rar = "answer", bool cer = true, string host = "127.0.0.1", string destinationRealm = "simlane.example",
        string? destinationHost = null)
    {
        var script = Script;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(script);
        var options = new JsonObject
        {
            ["host"] = host,
            ["port"] = port,
            ["originHost"] = originHost,
            ["originRealm"] = originRealm,
            ["destinationRealm"] = destinationRealm,
            ["destinationHost"] = destinationHost,
            ["rar"] = rar,
            ["cer"] = cer,
        };
        start.ArgumentList.Add(options.ToJsonString());
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "node is not installed (the Diameter Gy peer runs on node); run scripts/test, which installs it, or apt-get install nodejs npm", e);
        }

        var peer = new GyPeer(process);
        try
        {
            var first = await peer.inbox.WaitAsync(
                l => cer ? Id(l) == "cer" || IsRemoteClose(l) : Event(l) == "connected" || IsRemoteClose(l),
                take: false, TimeSpan.FromSeconds(20), cer ? "CEA or close" : "connect or close", peer.Diagnostics);
            if (cer && Id(first) == "cer")
            {
                peer.inbox.TryTake(first);
                peer.SetCapabilities(first);
            }
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        return peer;
    }

    /// <summary>
    /// Sends one request: the header from the package (P flag on for applications other than the base one, T flag when
    /// <paramref name="retransmit"/>), the body exactly as given (Session-Id, Origin-Host, ... are the test's).
    /// Returns the answer line, or a {"event":"timeout"} / {"event":"error"} line; each carries hopByHopId and endToEndId
    /// (pass them back with <paramref name="retransmit"/> to resend the same request).
    /// </summary>
    public Task<JsonObject> SendAsync(string command, JsonArray body, string application = DefaultApplication, bool retransmit = false,
        int timeoutMs = 10000, uint? hopByHopId = null, uint? endToEndId = null)
    {
        var json = new JsonObject
        {
            ["op"] = "send",
            ["application"] = application,
            ["command"] = command,
            ["body"] = body.DeepClone(),
            ["retransmit"] = retransmit,
            ["timeoutMs"] = timeoutMs,
        };
        if (hopByHopId is { } hbh)
        {
            json["hopByHopId"] = hbh;
        }

        if (endToEndId is { } e2e)
        {
            json["endToEndId"] = e2e;
        }

        return CommandAsync(json, TimeSpan.FromMilliseconds(timeoutMs) + TimeSpan.FromSeconds(10));
    }

    /// <summary>A Credit-Control-Request shaped like Open5GS's SMF's; the answer line as for <see cref="SendAsync"/>.</summary>
    public Task<JsonObject> CcrAsync(GyRequest request) =>
        CommandAsync(request.ToCommand(), TimeSpan.FromMilliseconds(request.TimeoutMs) + TimeSpan.FromSeconds(10));

    /// <summary>
    /// Sends the bytes of an earlier request again, as freeDiameter does after a failover: the same AVPs and ids, with the
    /// T flag unless <paramref name="retransmit"/> is false. <paramref name="earlier"/> is the earlier result line
    /// (answer, timeout or error; its "requestHex").
    /// </summary>
    public Task<JsonObject> ResendAsync(JsonObject earlier, bool retransmit = true, int timeoutMs = 10000)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var hex = earlier["requestHex"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"no requestHex in {earlier.ToJsonString()}");
        return CommandAsync(new JsonObject { ["op"] = "resend", ["hex"] = hex, ["retransmit"] = retransmit, ["timeoutMs"] = timeoutMs },
            TimeSpan.FromMilliseconds(timeoutMs) + TimeSpan.FromSeconds(10));
    }

    /// <summary>Writes <paramref name="bytes"/> on the socket as they are (malformed frames).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        var result = await CommandAsync(new JsonObject { ["op"] = "raw", ["hex"] = Convert.ToHexString(bytes) }, TimeSpan.FromSeconds(10));
        if (Event(result) != "sent")
        {
            throw new InvalidOperationException($"gy_peer.js could not send raw bytes: {result.ToJsonString()}");
        }
    }

    /// <summary>
    /// Closes the connection if open, connects again (to <paramref name="port"/> if given) and does the CER again.
    /// Returns {"event":"reconnected","connected":bool,"cea":answer line|null}; <see cref="CapabilitiesAnswer"/> follows.
    /// </summary>
    public async Task<JsonObject> ReconnectAsync(int? port = null)
    {
        var json = new JsonObject { ["op"] = "reconnect" };
        if (port is { } p)
        {
            json["port"] = p;
        }

        var result = await CommandAsync(json, TimeSpan.FromSeconds(40));
        while (inbox.TryTakeFirst(l => Id(l) == "cer"))
        {
            // the CEA line printed as at start; the result carries it as "cea"
        }

        CapabilitiesAnswer = null;
        CapabilitiesResultCode = 0;
        if (result["cea"] is JsonObject cea)
        {
            SetCapabilities(cea);
        }

        return result;
    }

    /// <summary>Sends a DWR; the DWA line.</summary>
    public Task<JsonObject> WatchdogAsync() => CommandAsync(new JsonObject { ["op"] = "dwr" }, TimeSpan.FromSeconds(20));

    /// <summary>Sends a DPR (Disconnect-Cause REBOOTING); the DPA line. The connection stays open until the server or <see cref="CloseAsync"/> closes it.</summary>
    public Task<JsonObject> DisconnectPeerAsync() => CommandAsync(new JsonObject { ["op"] = "dpr" }, TimeSpan.FromSeconds(20));

    /// <summary>Closes the socket (the process keeps running; <see cref="ReconnectAsync"/> can connect again).</summary>
    public Task CloseAsync() => CommandAsync(new JsonObject { ["op"] = "close" }, TimeSpan.FromSeconds(20));

    /// <summary>Changes how RARs are answered from now on: "answer", "unknown_session" or "ignore".</summary>
    public Task SetRarModeAsync(string rar) => CommandAsync(new JsonObject { ["op"] = "mode", ["rar"] = rar }, TimeSpan.FromSeconds(10));

    /// <summary>
    /// The next request the server sent (already answered per the mode; see "answered" and "answerResultCode"), waiting at
    /// most <paramref name="seconds"/>. Device-Watchdog requests are skipped unless <paramref name="command"/> asks for them;
    /// with <paramref name="command"/> ("Re-Auth", "Device-Watchdog", ...) only that command is taken, others stay queued.
    /// </summary>
    public Task<JsonObject> NextRequestAsync(int seconds = 20, string? command = null) =>
        inbox.WaitAsync(
            l => Id(l) is null && Event(l) == "request"
                && (command is null ? Command(l) != "Device-Watchdog" : Command(l) == command),
            take: true, TimeSpan.FromSeconds(seconds), command is null ? "request from the server" : $"{command} request from the server",
            Diagnostics);

    /// <summary>
    /// Completes when the connection closes other than through <see cref="CloseAsync"/>/<see cref="ReconnectAsync"/>
    /// (the server closed it, or the connect failed); returns the closed event. Waits at most <paramref name="seconds"/>.
    /// </summary>
    public Task<JsonObject> ClosedAsync(int seconds = 20) =>
        inbox.WaitAsync(IsRemoteClose, take: true, TimeSpan.FromSeconds(seconds), "close of the connection", Diagnostics);

    /// <summary>The next line without id of the event <paramref name="eventName"/> ("answer" for unmatched answers, "error", "connected").</summary>
    public Task<JsonObject> NextEventAsync(string eventName, int seconds = 20) =>
        inbox.WaitAsync(l => Id(l) is null && Event(l) == eventName, take: true, TimeSpan.FromSeconds(seconds), $"{eventName} event", Diagnostics);

    /// <summary>The value at a path of AVP names in a tree (the first match at each level), or null.</summary>
    public static JsonNode? Find(JsonArray avps, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(avps);
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? current = avps;
        foreach (var name in path)
        {
            if (current is not JsonArray level)
            {
                return null;
            }

            current = level.OfType<JsonArray>().FirstOrDefault(pair => pair.Count == 2 && pair[0]?.GetValue<string>() == name)?[1];
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Every value at a path of AVP names, following every match at each level (repeated AVPs such as Subscription-Id).</summary>
    public static IReadOnlyList<JsonNode?> FindAll(JsonArray avps, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(avps);
        ArgumentNullException.ThrowIfNull(path);
        IEnumerable<JsonNode?> current = [avps];
        foreach (var name in path)
        {
            current = current.OfType<JsonArray>()
                .SelectMany(level => level.OfType<JsonArray>().Where(pair => pair.Count == 2 && pair[0]?.GetValue<string>() == name))
                .Select(pair => pair[1])
                .ToList();
        }

        return current.ToList();
    }

    /// <summary>The "avps" tree of an answer or request line.</summary>
    public static JsonArray Avps(JsonObject line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line["avps"] as JsonArray ?? throw new InvalidOperationException($"no avps in {line.ToJsonString()}");
    }

    /// <summary>The Result-Code (or Experimental-Result-Code) of an answer line; null for a timeout, an error or none.</summary>
    public static int? ResultCode(JsonObject line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line["resultCode"] is JsonValue v && v.TryGetValue<int>(out var code) ? code : null;
    }

    /// <summary>An Unsigned64 from a tree (a decimal string; a number is accepted too).</summary>
    public static ulong Unsigned64(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => ulong.Parse(s, CultureInfo.InvariantCulture),
        JsonValue v => v.GetValue<ulong>(),
        _ => throw new InvalidOperationException($"not a 64-bit value: {value?.ToJsonString() ?? "null"}"),
    };

    /// <summary>An Integer64 from a tree (a decimal string; a number is accepted too).</summary>
    public static long Integer64(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => long.Parse(s, CultureInfo.InvariantCulture),
        JsonValue v => v.GetValue<long>(),
        _ => throw new InvalidOperationException($"not a 64-bit value: {value?.ToJsonString() ?? "null"}"),
    };

    /// <summary>A Session-Id as freeDiameter makes them: "{originHost};{high 32 bits};{low 32 bits}" (random here).</summary>
    public static string NewSessionId(string originHost) =>
        $"{originHost};{(uint)RandomNumberGenerator.GetInt32(int.MaxValue)};{(uint)RandomNumberGenerator.GetInt32(int.MaxValue)}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close(); // gy_peer.js exits when stdin closes
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await stdoutReader;
        await stderrReader;
        process.Dispose();
        writeLock.Dispose();
    }

    private async Task<JsonObject> CommandAsync(JsonObject command, TimeSpan bound)
    {
        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        command["id"] = id;
        await writeLock.WaitAsync();
        try
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gy_peer.js has exited ({process.ExitCode}){Diagnostics()}");
            }

            await process.StandardInput.WriteLineAsync(command.ToJsonString());
            await process.StandardInput.FlushAsync();
        }
        finally
        {
            writeLock.Release();
        }

        return await inbox.WaitAsync(l => Id(l) == id, take: true, bound, $"result of {command["op"]} (id {id})", Diagnostics);
    }

    private void SetCapabilities(JsonObject cea)
    {
        CapabilitiesAnswer = cea;
        CapabilitiesResultCode = ResultCode(cea) ?? 0;
    }

    private async Task ReadStdoutAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            JsonObject json;
            try
            {
                json = JsonNode.Parse(line) as JsonObject ?? new JsonObject { ["event"] = "unparsed", ["text"] = line };
            }
            catch (System.Text.Json.JsonException)
            {
                json = new JsonObject { ["event"] = "unparsed", ["text"] = line };
            }

            events.Enqueue(json);
            inbox.Add(json);
        }

        await process.WaitForExitAsync();
        inbox.Complete(new InvalidOperationException($"gy_peer.js exited ({process.ExitCode}){Diagnostics()}"));
    }

    private string Diagnostics()
    {
        var recent = events.ToArray().TakeLast(12).Select(e =>
        {
            var text = e.ToJsonString();
            return text.Length > 600 ? text[..600] + "…" : text;
        });
        return $"\n--- recent gy_peer.js events\n{string.Join('\n', recent)}\n--- stderr\n{Stderr}";
    }

    private static string? Id(JsonObject line) => line["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Event(JsonObject line) => line["event"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Command(JsonObject line) => line["command"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsRemoteClose(JsonObject line) =>
        Id(line) is null && Event(line) == "closed" && !(line["requested"] is JsonValue v && v.TryGetValue<bool>(out var requested) && requested);

    private static string FindScript()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Simlane.slnx")))
                {
                    continue;
                }

                var folder = Path.Combine(dir.FullName, PeerFolder);
                var script = Path.Combine(folder, "gy_peer.js");
                if (!File.Exists(script))
                {
                    throw new InvalidOperationException($"{script} is missing");
                }

                if (!File.Exists(Path.Combine(folder, "node_modules", "diameter", "package.json")))
                {
                    throw new InvalidOperationException(
                        $"the Diameter Gy peer's npm packages are not installed: run `npm ci --prefix {PeerFolder}` in {dir.FullName} (scripts/test does it)");
                }

                return script;
            }
        }

        throw new InvalidOperationException(
            $"cannot find Simlane.slnx above {AppContext.BaseDirectory} (nor above the current directory) to locate {PeerFolder}/gy_peer.js");
    }

    /// <summary>Lines not yet taken; a wait takes (or peeks at) the first line that matches, now or when it arrives.</summary>
    private sealed class Inbox
    {
        private readonly object gate = new();
        private readonly List<JsonObject> unread = [];
        private readonly List<Waiter> waiters = [];
        private Exception? completion;

        public void Add(JsonObject line)
        {
            lock (gate)
            {
                for (var i = 0; i < waiters.Count; i++)
                {
                    var waiter = waiters[i];
                    if (!waiter.Match(line))
                    {
                        continue;
                    }

                    waiters.RemoveAt(i--);
                    waiter.Done.TrySetResult(line);
                    if (waiter.Take)
                    {
                        return;
                    }
                }

                unread.Add(line);
            }
        }

        public bool TryTake(JsonObject line)
        {
            lock (gate)
            {
                return unread.Remove(line);
            }
        }

        public bool TryTakeFirst(Func<JsonObject, bool> match)
        {
            lock (gate)
            {
                var i = unread.FindIndex(l => match(l));
                if (i < 0)
                {
                    return false;
                }

                unread.RemoveAt(i);
                return true;
            }
        }

        public void Complete(Exception reason)
        {
            lock (gate)
            {
                completion = reason;
                foreach (var waiter in waiters)
                {
                    waiter.Done.TrySetException(reason);
                }

                waiters.Clear();
            }
        }

        public async Task<JsonObject> WaitAsync(Func<JsonObject, bool> match, bool take, TimeSpan bound, string what, Func<string> diagnostics)
        {
            Waiter waiter;
            lock (gate)
            {
                var i = unread.FindIndex(l => match(l));
                if (i >= 0)
                {
                    var line = unread[i];
                    if (take)
                    {
                        unread.RemoveAt(i);
                    }

                    return line;
                }

                if (completion is not null)
                {
                    throw new InvalidOperationException($"no {what}: {completion.Message}", completion);
                }

                waiter = new Waiter(match, take, new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously));
                waiters.Add(waiter);
            }

            try
            {
                return await waiter.Done.Task.WaitAsync(bound);
            }
            catch (TimeoutException)
            {
                lock (gate)
                {
                    waiters.Remove(waiter);
                }

                if (waiter.Done.Task.IsCompletedSuccessfully)
                {
                    return waiter.Done.Task.Result;
                }

                throw new TimeoutException($"gy_peer.js: no {what} within {bound.TotalSeconds:0.#} s (a bound, not a measurement){diagnostics()}");
            }
        }

        private sealed record Waiter(Func<JsonObject, bool> Match, bool Take, TaskCompletionSource<JsonObject> Done);
    }
}
