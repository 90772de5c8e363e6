using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;
using Simlane.Storage;

namespace Simlane.LoadGen;

/// <summary>
/// <c>simlane-loadgen radius</c> (docs/performance.md, "RADIUS"): seeds active SIMs, starts the real server with RADIUS on
/// loopback, and measures, each for a bounded time: Access-Requests/s and Interim-Updates/s with closed-loop senders
/// (one request in flight per sender), then p99 reply time with the senders paced at half the rate just achieved.
/// The ceiling is the same generator against the RADIUS listener in this process with a handler that does nothing.
/// </summary>
internal static class RadiusLoad
{
    private const string Secret = "loadgen-radius-secret";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(2);

    private sealed record Options(int Sims, int Sessions, int Concurrency, int Seconds, int Warmup, string? Database, string? ServerDll, int Port, int AuthPort, int AcctPort);

    private sealed record Phase(string Name, long Replies, long Timeouts, double Seconds, List<double> LatenciesMs)
    {
        public double Rate => Replies / Seconds;

        public double P(double p) => OperatorApi.Percentile(LatenciesMs, p);

        public override string ToString() =>
            $"{Name,-34} {Rate,9:N0} /s  replies {Replies,8:N0}  timeouts {Timeouts,4}  p50 {P(0.50),6:F1} ms  p99 {P(0.99),6:F1} ms  max {(LatenciesMs.Count == 0 ? double.NaN : LatenciesMs[^1]),7:F1} ms";
    }

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        string[] wanted;
        try
        {
            var values = SubcommandArgs.Parse(args,
                ["--sims", "--sessions", "--concurrency", "--seconds", "--warmup", "--database", "--server-dll", "--port", "--auth-port", "--acct-port", "--phases"]);
            options = new Options(values.Int("--sims", 100_000, 1), values.Int("--sessions", 20_000, 1), values.Int("--concurrency", 32, 1), values.Int("--seconds", 15, 1),
                values.Int("--warmup", 3), values.String("--database"), values.String("--server-dll"), values.Int("--port", 5399, 1024, 65535),
                values.Int("--auth-port", 18120, 1024, 65535), values.Int("--acct-port", 18130, 1024, 65535));
            wanted = (values.String("--phases") ?? "access,interim").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var phases = new List<Phase>();
        if (wanted.Length == 0 || wanted.Any(p => p is not ("access" or "interim")))
        {
            Console.Error.WriteLine("--phases takes access, interim or both (access,interim)");
            return 2;
        }

        // Ceiling: this generator against the listener in this process, its handler doing nothing. A separate program:
        // the listener's duplicate cache runs on the machine's clock.
        await using (var noop = new RadiusListener(RadiusClientTable.Parse([$"127.0.0.1={Secret}"]), new NoopHandler(),
                         new RadiusListenerOptions { BindAddress = IPAddress.Loopback, AuthPort = 0, AcctPort = 0 }, BenchMachine.Clock))
        {
            noop.Start();
            phases.Add(await DriveAsync("ceiling: Access, no-op handler", noop.AuthEndPoint, options, AccessPacket(options), rate: 0));
            phases.Add(await DriveAsync("ceiling: Interim, no-op handler", noop.AcctEndPoint, options, InterimPacket(options), rate: 0));
        }

        SeededServer server;
        try
        {
            server = await SeededServer.StartAsync("radiusload", options.Sims, options.Database, options.ServerDll, options.Port,
                ["--radius-client", $"127.0.0.1={Secret}", "--radius-bind", "127.0.0.1",
                 "--radius-auth-port", options.AuthPort.ToString(CultureInfo.InvariantCulture), "--radius-acct-port", options.AcctPort.ToString(CultureInfo.InvariantCulture)],
                CancellationToken.None);
        }
        catch (FreshDatabaseException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        await using (server)
        {
            var auth = new IPEndPoint(IPAddress.Loopback, options.AuthPort);
            var acct = new IPEndPoint(IPAddress.Loopback, options.AcctPort);

            if (wanted.Contains("access"))
            {
                var access = await DriveAsync("Access-Request, closed loop", auth, options, AccessPacket(options), rate: 0);
                phases.Add(access);
                phases.Add(await DriveAsync($"Access-Request at {access.Rate / 2:N0}/s", auth, options, AccessPacket(options), rate: access.Rate / 2));
            }

            if (!wanted.Contains("interim"))
            {
                return Report(phases, options);
            }

            var starting = Stopwatch.StartNew();
            var starts = await DriveAsync("Accounting-Start", acct, options with { Warmup = 0, Seconds = 600 }, StartPacket(options), rate: 0, count: options.Sessions);
            Console.WriteLine($"opened {starts.Replies:N0} sessions with Accounting-Start in {starting.Elapsed.TotalSeconds:F1} s ({starts.Rate:N0}/s)");
            var interim = await DriveAsync("Interim-Update, closed loop", acct, options, InterimPacket(options), rate: 0);
            phases.Add(interim);
            phases.Add(await DriveAsync($"Interim-Update at {interim.Rate / 2:N0}/s", acct, options, InterimPacket(options), rate: interim.Rate / 2));
        }

        return Report(phases, options);
    }

    private static int Report(List<Phase> phases, Options options)
    {
        Console.WriteLine("--- result ---");
        Console.WriteLine($"sims {options.Sims:N0}, sessions {options.Sessions:N0}, senders {options.Concurrency}, {options.Seconds} s per phase after {options.Warmup} s warm-up");
        phases.ForEach(p => Console.WriteLine(p));
        Console.WriteLine(BenchMachine.LoadLine());
        return phases.Sum(p => p.Timeouts) == 0 ? 0 : 1;
    }

    /// <summary>Builds request number <c>n</c> of sender <c>sender</c> with identifier <c>id</c>.</summary>
    private delegate int Builder(int sender, long n, byte id, byte[] buffer);

    private static Builder AccessPacket(Options options) => (sender, n, id, buffer) =>
    {
        var imsi = Seeder.Imsi(((n * options.Concurrency) + sender) % options.Sims);
        var writer = new RadiusPacketWriter(buffer, RadiusCode.AccessRequest, id);
        var messageAuthenticator = writer.AddMessageAuthenticator();
        writer.Add(RadiusAttributeValue.Text(RadiusAttributes.UserName, imsi));
        writer.Add(RadiusAttributeValue.Text(RadiusAttributes.ThreeGppImsi, imsi));
        var length = writer.Finish();
        Span<byte> authenticator = stackalloc byte[16];
        RandomNumberGenerator.Fill(authenticator);
        RadiusAuthenticators.SignAccessRequest(buffer.AsSpan(0, length), messageAuthenticator, authenticator, System.Text.Encoding.UTF8.GetBytes(Secret));
        return length;
    };

    private static Builder StartPacket(Options options) => (sender, n, id, buffer) =>
    {
        var session = ((n * options.Concurrency) + sender) % options.Sessions;
        return Accounting(buffer, id, 1, session, 0);
    };

    /// <summary>Sender <c>s</c> owns sessions s, s+C, s+2C, …: its n-th report raises one of them by one step, so counters only grow.</summary>
    private static Builder InterimPacket(Options options) => (sender, n, id, buffer) =>
    {
        var owned = Math.Max(1, options.Sessions / options.Concurrency);
        var session = ((n % owned) * options.Concurrency) + sender;
        var step = ((n + RunOffset) / owned) + 1; // one step per round over the owned sessions, never smaller than an earlier phase's
        return Accounting(buffer, id, 3, session, step);
    };

    /// <summary>Requests per sender already sent by earlier phases (the paced phase continues where the closed loop stopped).</summary>
    private static long RunOffset => Interlocked.Read(ref runOffset);

    private static long runOffset;

    private static int Accounting(byte[] buffer, byte id, uint status, long session, long step)
    {
        var imsi = Seeder.Imsi(session);
        var writer = new RadiusPacketWriter(buffer, RadiusCode.AccountingRequest, id);
        writer.Add(RadiusAttributes.AcctStatusType, status);
        writer.Add(RadiusAttributeValue.Text(RadiusAttributes.AcctSessionId, $"lg-{session}"));
        writer.Add(RadiusAttributeValue.Text(RadiusAttributes.ThreeGppImsi, imsi));
        if (status != 1)
        {
            writer.Add(RadiusAttributes.AcctInputOctets, (uint)(step * 1_000));
            writer.Add(RadiusAttributes.AcctOutputOctets, (uint)(step * 5_000));
            writer.Add(RadiusAttributes.AcctInputPackets, (uint)step);
            writer.Add(RadiusAttributes.AcctOutputPackets, (uint)(step * 3));
        }

        var length = writer.Finish();
        RadiusAuthenticators.SignRequest(buffer.AsSpan(0, length), -1, System.Text.Encoding.UTF8.GetBytes(Secret));
        return length;
    }

    /// <summary>
    /// <see cref="Options.Concurrency"/> senders, each with its own socket and one request in flight, for the warm-up plus
    /// the measured seconds (or until <paramref name="count"/> replies); with <paramref name="rate"/> &gt; 0 the senders are
    /// paced to that total rate (a sender that falls behind sends at once).
    /// </summary>
    private static async Task<Phase> DriveAsync(string name, IPEndPoint target, Options options, Builder build, double rate, long count = long.MaxValue)
    {
        var clock = Stopwatch.StartNew();
        var warmup = TimeSpan.FromSeconds(options.Warmup);
        var end = warmup + TimeSpan.FromSeconds(options.Seconds);
        long replies = 0, timeouts = 0, issued = 0, maxRound = 0;
        var latencies = new List<double>[options.Concurrency];
        var interval = rate > 0 ? TimeSpan.FromSeconds(options.Concurrency / rate) : TimeSpan.Zero;
        var senders = Enumerable.Range(0, options.Concurrency).Select(sender => Task.Run(async () =>
        {
            var mine = latencies[sender] = [];
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(target);
            var buffer = new byte[RadiusPacket.MaxSize];
            var reply = new byte[RadiusPacket.MaxSize];
            long n = 0;
            while (clock.Elapsed < end && Interlocked.Increment(ref issued) <= count)
            {
                if (rate > 0)
                {
                    var due = (interval * sender / options.Concurrency) + (interval * n) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }
                }

                var id = (byte)n;
                var length = build(sender, n, id, buffer);
                n++;
                var started = Stopwatch.GetTimestamp();
                await socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None);
                using var timeout = new CancellationTokenSource(ReplyTimeout);
                try
                {
                    while (true)
                    {
                        var received = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token);
                        if (received >= 20 && reply[1] == id)
                        {
                            break; // a late reply to an earlier, timed-out request has another identifier
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref timeouts);
                    continue;
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Increment(ref replies);
                if (clock.Elapsed >= warmup)
                {
                    mine.Add(elapsed);
                }
            }

            InterlockedMax(ref maxRound, n);
        })).ToArray();
        await Task.WhenAll(senders);
        var measured = latencies.SelectMany(l => l).Order().ToList();
        var seconds = count == long.MaxValue ? Math.Max(0.001, clock.Elapsed.TotalSeconds - warmup.TotalSeconds) : clock.Elapsed.TotalSeconds;
        Interlocked.Add(ref runOffset, maxRound);
        return new Phase(name, count == long.MaxValue ? measured.Count : replies, timeouts, seconds, measured);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }

    private sealed class NoopHandler : IRadiusRequestHandler
    {
        public Task<RadiusAccessDecision> HandleAccessAsync(RadiusRequest request, CancellationToken cancellationToken) => Task.FromResult(RadiusAccessDecision.Accept());

        public Task HandleAccountingAsync(RadiusRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
