using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Simlane.Diameter.Codec;
using Simlane.Diameter.Peers;

namespace Simlane.LoadGen;

/// <summary>
/// <c>simlane-loadgen diameter</c> (docs/performance.md, "Diameter Gy"): Credit-Control-Request updates per second over
/// one Diameter connection. Seeds active SIMs, starts the real server with Diameter on loopback, connects as the peer
/// <c>loadgen.example</c> (CER/CEA), opens <c>--sessions</c> Gy sessions with CCR-Initial, then for a bounded time keeps
/// <c>--concurrency</c> CCR-Updates in flight (closed loop, each for the next session in turn, never two at once for
/// one session), and then sends them on a schedule at half the rate just achieved (open loop) for the p99. The ceiling is
/// the same generator against a <see cref="DiameterNode"/> in this process whose application answers every CCR at once.
/// </summary>
internal static class DiameterLoad
{
    public const string PeerHost = "loadgen.example";
    public const string PeerRealm = "loadgen.example";
    private const string CeilingHost = "ceiling.loadgen.example";
    private const string CeilingRealm = "localdomain";

    internal sealed record Options(
        int Sims, int Sessions, int Concurrency, int Seconds, int Warmup, string? Database, string? ServerDll, int Port, int DiameterPort, bool CeilingOnly);

    private const string Usage = """
        usage: simlane-loadgen diameter [--sims N] [--sessions N] [--concurrency N] [--seconds N] [--warmup N] [--port HTTP_PORT]
                                        [--diameter-port P] [--database FILE] [--server-dll PATH] [--ceiling]
               --ceiling: only the ceiling (a no-op Diameter node in this process); by default the ceiling, then Simlane
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try
        {
            var values = SubcommandArgs.Parse(args,
                ["--sims", "--sessions", "--concurrency", "--seconds", "--warmup", "--database", "--server-dll", "--port", "--diameter-port"], ["--ceiling"]);
            options = new Options(values.Int("--sims", 100_000, 1, 100_000_000), values.Int("--sessions", 10_000, 1, 1_000_000),
                values.Int("--concurrency", 256, 1, GyConnection.MaxInFlight), values.Int("--seconds", 10, 1, 3600), values.Int("--warmup", 2, 0, 600),
                values.String("--database"), values.String("--server-dll"), values.Int("--port", 5399, 1024, 65535), values.Int("--diameter-port", 13868, 1024, 65535),
                values.Flag("--ceiling"));
            if (options.Sessions > options.Sims || options.Concurrency > options.Sessions)
            {
                throw new ArgumentException("--concurrency must be at most --sessions, and --sessions at most --sims (one SIM per session)");
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        using var interrupt = BenchMachine.OnInterrupt();
        var token = interrupt.Token;
        var runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var phases = new List<GyPhase>();
        long? serverPeakKib = null;
        try
        {
            await using (var ceiling = new DiameterNode(
                             new DiameterNodeOptions
                             {
                                 BindAddress = IPAddress.Loopback, Port = 0, OriginHost = CeilingHost, OriginRealm = CeilingRealm,
                                 AllowedPeers = [DiameterPeerEntry.Parse($"{PeerHost}=127.0.0.1")], ProductName = "simlane-loadgen ceiling",
                             },
                             new NoopCreditControl(), BenchMachine.Clock))
            {
                ceiling.Start();
                Console.WriteLine($"ceiling: a DiameterNode in this process answering every CCR at once, on {ceiling.LocalEndPoint}");
                await DriveAsync("ceiling", ceiling.LocalEndPoint, options, runId + "-c", serverPid: null, phases, token);
            }

            if (!options.CeilingOnly)
            {
                await using var server = await SeededServer.StartAsync("diameterload", options.Sims, options.Database, options.ServerDll, options.Port,
                    ["--diameter-peer", $"{PeerHost}=127.0.0.1", "--diameter-bind", "127.0.0.1", "--diameter-port", options.DiameterPort.ToString(CultureInfo.InvariantCulture)],
                    token);
                try
                {
                    await DriveAsync("simlane", new IPEndPoint(IPAddress.Loopback, options.DiameterPort), options, runId, server.Process.Id, phases, token);
                }
                finally
                {
                    serverPeakKib = ProcStatus.PeakKib(server.Process.Id);
                }
            }
        }
        catch (FreshDatabaseException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted; the phases finished so far:");
            Report(phases, options, serverPeakKib);
            return 130;
        }

        return Report(phases, options, serverPeakKib);
    }

    /// <summary>Connects, opens the sessions, then the closed-loop updates and the updates paced at half their rate; adds each phase to <paramref name="phases"/> as it ends.</summary>
    private static async Task DriveAsync(string target, IPEndPoint endPoint, Options options, string runId, int? serverPid, List<GyPhase> phases, CancellationToken token)
    {
        await using var connection = await GyConnection.ConnectAsync(endPoint, runId, options.Sessions, token);
        Console.WriteLine($"{target}: connected to {connection.ServerHost} ({connection.ServerRealm}) at {endPoint}, CEA 2001");
        var warmup = TimeSpan.FromSeconds(options.Warmup);
        var seconds = TimeSpan.FromSeconds(options.Seconds);
        var initial = await connection.RunPhaseAsync(target, $"CCR-I, opening {options.Sessions:N0} sessions", GyPhaseKind.Initial, options.Concurrency, 0,
            TimeSpan.Zero, TimeSpan.Zero, serverPid, token);
        phases.Add(initial);
        Console.WriteLine(initial);
        if (initial.Answers == 0)
        {
            return;
        }

        var closed = await connection.RunPhaseAsync(target, $"CCR-U, closed loop, {options.Concurrency} in flight", GyPhaseKind.ClosedLoop, options.Concurrency, 0,
            warmup, seconds, serverPid, token);
        phases.Add(closed);
        Console.WriteLine(closed);
        if (closed.Rate < 1)
        {
            return;
        }

        var rate = closed.Rate / 2;
        var paced = await connection.RunPhaseAsync(target, $"CCR-U, open loop at {rate:N0}/s", GyPhaseKind.Paced, GyConnection.MaxInFlight, rate,
            warmup, seconds, serverPid, token);
        phases.Add(paced);
        Console.WriteLine(paced);
        await connection.DisconnectAsync();
    }

    private static int Report(List<GyPhase> phases, Options options, long? serverPeakKib)
    {
        Console.WriteLine("--- result ---");
        Console.WriteLine($"sims {options.Sims:N0} (SQLite), Gy sessions {options.Sessions:N0}, one connection, {options.Concurrency} requests in flight (closed loop), "
            + $"{options.Seconds} s per update phase after {options.Warmup} s warm-up, answer timeout {GyConnection.AnswerTimeout.TotalSeconds:F0} s");
        Console.WriteLine(GyPhase.Header);
        phases.ForEach(p => Console.WriteLine(p.Row()));
        foreach (var phase in phases.Where(p => p.ResultCodes.Count > 0))
        {
            Console.WriteLine($"{phase.Target} {phase.Name}: answers not 2001: {string.Join(", ", phase.ResultCodes.Select(c => $"{c.Key} x {c.Value:N0}"))}");
        }

        Console.WriteLine("rate: 2001 answers per second inside the measured window; latency from send (open loop: from the scheduled send time) to answer; "
            + "cpu: cores used during the window by the server and by this process (for the ceiling, the node runs in this process)");
        if (serverPeakKib is { } peak)
        {
            Console.WriteLine($"server peak memory (VmHWM) {peak / 1024.0:F0} MiB");
        }

        Console.WriteLine(BenchMachine.LoadLine());
        // Judged: Simlane's phases (the ceiling's only with --ceiling): every request answered 2001 in time, none left unsent.
        var judged = options.CeilingOnly ? "ceiling" : "simlane";
        return phases.Any(p => p.Target == judged) && phases.Where(p => p.Target == judged).All(p => p.Clean) ? 0 : 1;
    }

    /// <summary>The ceiling's application: every CCR is answered at once, 2001 with a grant, as Simlane's answers are shaped.</summary>
    private sealed class NoopCreditControl : IDiameterApplication
    {
        private static readonly Avp AuthApplication = Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl);
        private static readonly Avp Grant = Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl,
        [
            Avp.OfGrouped(AvpCodes.GrantedServiceUnit, [Avp.OfUInt64(AvpCodes.CcTotalOctets, 10UL * 1024 * 1024)]),
            Avp.OfUInt32(AvpCodes.ValidityTime, 300),
            Avp.OfUInt32(AvpCodes.ResultCode, DiameterResultCodes.Success),
        ]);

        public Task<DiameterMessage> HandleRequestAsync(DiameterPeerConnection peer, DiameterMessage request, CancellationToken cancellationToken)
        {
            var answer = DiameterMessage.CreateAnswer(request, DiameterResultCodes.Success, CeilingHost, CeilingRealm);
            answer.Avps.Add(AuthApplication);
            foreach (var code in (ReadOnlySpan<uint>)[AvpCodes.CcRequestType, AvpCodes.CcRequestNumber])
            {
                if (request.Find(code) is { } avp)
                {
                    answer.Avps.Add(avp);
                }
            }

            answer.Avps.Add(Grant);
            return Task.FromResult(answer);
        }

        public void PeerUp(DiameterPeerConnection peer)
        {
        }

        public void PeerDown(DiameterPeerConnection peer)
        {
        }
    }
}

internal enum GyPhaseKind
{
    /// <summary>One CCR-Initial per session, a window of them in flight.</summary>
    Initial,

    /// <summary>CCR-Updates, a fixed number in flight: each answer sends the next.</summary>
    ClosedLoop,

    /// <summary>CCR-Updates sent on a schedule at a fixed rate whatever the answers.</summary>
    Paced,
}

/// <summary>What one phase measured.</summary>
internal sealed record GyPhase(
    string Target, string Name, double Seconds, long Answers, LatencyHistogram Latencies, long NotSuccess, long Timeouts, long Unsent, long Late,
    double? ServerCores, double? LoadgenCores, Dictionary<uint, long> ResultCodes)
{
    public const string Header = "target   phase                                      rate/s   p50 ms   p90 ms   p99 ms   max ms  not-2001  timeouts  unsent  cpu srv  cpu lg";

    public double Rate => Answers / Seconds;

    /// <summary>Every request answered 2001 in time (late answers to timed-out requests are counted as timeouts already).</summary>
    public bool Clean => NotSuccess == 0 && Timeouts == 0 && Unsent == 0;

    private double P(double p) => Latencies.Percentile(p);

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"{Target,-8} {Name,-40} {Rate,8:N0} {P(0.50),8:F1} {P(0.90),8:F1} {P(0.99),8:F1} {Latencies.MaxMs,8:F1} {NotSuccess,9:N0} {Timeouts,9:N0} {Unsent,7:N0} {Cores(ServerCores),8} {Cores(LoadgenCores),7}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target}: {Name}: {Answers:N0} answers 2001 in {Seconds:F1} s = {Rate:N0}/s, p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {Latencies.MaxMs:F1} ms; not 2001 {NotSuccess}, timeouts {Timeouts}, unsent {Unsent}, late {Late}");

    private static string Cores(double? cores) => cores is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "-";
}

/// <summary>
/// Latencies in logarithmic buckets 1 % wide (1 µs to over an hour in 2,200 counters): a fixed size however many answers a
/// phase has, so recording allocates nothing. A percentile is its bucket's upper edge (at most 1 % above the true value); the
/// maximum is exact.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double Base = 1.01;
    private static readonly double InverseLogBase = 1 / Math.Log(Base);
    private readonly long[] buckets = new long[2200];
    private long maxTicks;

    public long Count { get; private set; }

    public double MaxMs => Count == 0 ? double.NaN : maxTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Records one latency given in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        var micros = ticks * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
        var index = micros <= 1 ? 0 : Math.Min(buckets.Length - 1, (int)Math.Ceiling(Math.Log(micros) * InverseLogBase));
        buckets[index]++;
        Count++;
        maxTicks = Math.Max(maxTicks, ticks);
    }

    /// <summary>The nearest-rank percentile in milliseconds; NaN when nothing was recorded.</summary>
    public double Percentile(double p)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * Count));
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return Math.Min(Math.Pow(Base, i) / 1000, MaxMs);
            }
        }

        return MaxMs;
    }
}
