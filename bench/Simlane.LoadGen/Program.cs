using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Simlane.Core.Sims;
using Simlane.LoadGen;
using Simlane.Storage;

// Simlane load generator: seeds SIMs straight into a fresh database, starts the real server on loopback
// (or targets --url), drives POST /v1/gateway/usage with batches from concurrent clients for a bounded time
// and reports sustained records/s, p50/p99 answer time and the server's peak memory. See docs/performance.md.
if (args is ["radius", ..])
{
    return await RadiusLoad.RunAsync(args[1..]);
}

if (args is ["diameter", ..])
{
    return await DiameterLoad.RunAsync(args[1..]);
}

if (args is ["ceiling-server", ..])
{
    return await CeilingServer.RunAsync(args[1..]);
}

LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(LoadGenOptions.Usage);
    return 2;
}

if (!Uri.TryCreate(options.Url ?? $"http://127.0.0.1:{options.Port}", UriKind.Absolute, out var loopback)
    || loopback.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(loopback.Host, out var address) || !IPAddress.IsLoopback(address))
{
    await Console.Error.WriteLineAsync("Loopback only: --url must be http://127.0.0.1:<port>");
    return 2;
}

if (options.Reserved > 0 && (options.Url is not null || options.SkipSeed))
{
    await Console.Error.WriteLineAsync("--handlers and --lag-probes need a fresh database seeded by this run (no --url, no --skip-seed)");
    return 2;
}

if (options.Target is not ("simlane" or "parse" or "append") || (options.Target != "simlane" && (options.Url is not null || options.Reserved > 0 || options.SkipSeed)))
{
    await Console.Error.WriteLineAsync("--target is simlane (default), parse or append; parse and append start their own ceiling server (no --url, --skip-seed, --handlers or --lag-probes)");
    return 2;
}

Process? server = null;
FreshDatabase? fresh = null;
try
{
    OperatorCredentials? credentials = null;
    if (options.Target != "simlane")
    {
        fresh = options.Target == "append"
            ? await FreshDatabase.CreateAsync(options.Database ?? Path.Combine(Path.GetTempPath(), $"simlane-ceiling-{Environment.ProcessId}.db"))
            : null;
        server = CeilingServer.Start(options.Target, options.Port, fresh?.Value ?? "none");
        await ServerHost.WaitHealthyAsync(loopback, server);
        Console.WriteLine($"started the {options.Target} ceiling server, pid {server.Id}{(fresh is null ? "" : " on " + fresh.Describe())}");
    }
    else if (options.Url is null)
    {
        var database = options.Database ?? Path.Combine(Path.GetTempPath(), $"simlane-loadgen-{Environment.ProcessId}.db");
        if (!options.SkipSeed)
        {
            fresh = await FreshDatabase.CreateAsync(database);
        }

        var db = DatabaseOptions.Parse(database);
        if (options.Reserved > 0)
        {
            credentials = await ServerHost.CreateOperatorAsync(options, database);
            Console.WriteLine($"created operator {credentials.OperatorId} with simlane-server admin create-operator");
        }

        if (!options.SkipSeed)
        {
            var seeding = Stopwatch.StartNew();
            await Seeder.SeedAsync(db, options.Sims, credentials?.OperatorId ?? "OPLOADGEN00");
            Console.WriteLine($"seeded {options.Sims:N0} SIMs directly into {db.Describe()} in {seeding.Elapsed.TotalSeconds:F1} s");
        }

        server = ServerHost.Start(options, database);
        await ServerHost.WaitHealthyAsync(loopback, server);
    }

    LatencyProbe? probe = null;
    CountersLagProbe? lagProbe = null;
    if (credentials is not null && options.Handlers > 0)
    {
        probe = await LatencyProbe.CreateAsync(loopback, options, credentials);
    }

    if (credentials is not null && options.LagProbes > 0)
    {
        lagProbe = await CountersLagProbe.CreateAsync(loopback, credentials);
    }

    var driving = Driver.RunAsync(loopback, options);
    var probing = probe?.RunAsync(options) ?? Task.FromResult<List<double>?>(null);
    var lagging = lagProbe?.RunAsync(options) ?? Task.CompletedTask;
    var result = await driving;
    var probeLatencies = await probing;
    await lagging;
    probe?.Dispose();
    lagProbe?.Dispose();
    var peak = server is null ? options.ServerPid is { } pid ? ProcStatus.PeakKib(pid) : null : ProcStatus.PeakKib(server.Id);
    var current = server is null ? null : ProcStatus.CurrentKib(server.Id);
    Console.WriteLine(Report.Format(options, result, peak, current));
    if (probe is not null && probeLatencies is not null)
    {
        Console.WriteLine(Report.FormatLatency(options, probeLatencies, probe.Timeouts, probe.PostMs));
        Console.WriteLine($"warm-up probes (not counted, fired during the warm-up): {string.Join(", ", probe.WarmupMs.Select(ms => ms.ToString("F1", CultureInfo.InvariantCulture)))} ms");
    }

    if (lagProbe is not null)
    {
        Console.WriteLine(lagProbe.Format(options));
    }

    return result.Errors == 0 && (probe is null || probe.Timeouts == 0) && (lagProbe is null || lagProbe.Timeouts == 0) ? 0 : 1;
}
catch (FreshDatabaseException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
finally
{
    if (server is { HasExited: false })
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }

    if (fresh is not null && options.KeepDatabase)
    {
        Console.WriteLine($"kept the run's database (--keep-database): {fresh.Describe()}");
    }
    else if (fresh is not null)
    {
        await fresh.DisposeAsync();
    }
}

namespace Simlane.LoadGen
{
    internal sealed record LoadGenOptions(
        int Sims, string? Database, string? Url, int Port, int Clients, int Batch, int Seconds, int WarmupSeconds, bool SkipSeed, string? ServerDll, int? ServerPid,
        int? MaxRequests, int Handlers, int Rate, string Target, int LagProbes = 0, bool KeepDatabase = false, bool BatchIds = false)
    {
        public const string GatewayKey = "loadgen-gateway-key";

        /// <summary>Most lag probes per run: each has its own SIM and runs one at a time, at most one per 10 ms of the window.</summary>
        public const int MaxLagProbes = 1000;

        public const string Usage = """
            usage: simlane-loadgen [--target simlane|parse|append] [--sims N] [--database FILE|PostgreSQL connection string]
                                   [--clients N] [--batch N] [--seconds N] [--warmup N] [--port P] [--rate RECORDS_PER_S] [--max-requests N]
                                   [--handlers N] [--lag-probes N] [--keep-database] [--batch-ids] [--server-dll PATH]
                                   [--url http://127.0.0.1:P --skip-seed --server-pid PID]
                   --batch-ids: each batch carries a batchId and its records no recordId (de-duplicated per batch, decision S68)
                   simlane-loadgen radius ...   (see docs/performance.md)
                   simlane-loadgen diameter ... (see docs/performance.md)
            """;

        private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
        {
            "--sims", "--database", "--url", "--port", "--clients", "--batch", "--seconds", "--warmup", "--server-dll", "--server-pid",
            "--max-requests", "--handlers", "--rate", "--target", "--lag-probes",
        };

        /// <summary>IMSIs at the end of the seeded range kept out of the background load: the firing probes' (and their warm-up probes') and the lag probes'.</summary>
        public int Reserved => Handlers + (Handlers > 0 ? LatencyProbe.WarmupProbes : 0) + LagProbes;

        /// <summary>Parses and checks the options; anything wrong is an <see cref="ArgumentException"/> with a message for the user.</summary>
        public static LoadGenOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] is "--skip-seed" or "--keep-database" or "--batch-ids")
                {
                    flags.Add(args[i]);
                }
                else if (Known.Contains(args[i]) && i + 1 < args.Length)
                {
                    values[args[i]] = args[++i];
                }
                else
                {
                    throw new ArgumentException(Known.Contains(args[i]) ? $"{args[i]} needs a value" : $"Unknown argument {args[i]}");
                }
            }

            int Int(string name, int fallback, int min, int max)
            {
                if (!values.TryGetValue(name, out var v))
                {
                    return fallback;
                }

                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a whole number from {min:N0} to {max:N0}, not '{v}'");
            }

            int? Optional(string name, int min, int max) => values.ContainsKey(name) ? Int(name, 0, min, max) : null;

            var options = new LoadGenOptions(
                Int("--sims", 1_000_000, 1, 100_000_000), values.GetValueOrDefault("--database"), values.GetValueOrDefault("--url"), Int("--port", 5399, 1024, 65535),
                Int("--clients", 4, 1, 256), Int("--batch", 5000, 1, 100_000), Int("--seconds", 60, 1, 3600), Int("--warmup", 5, 0, 600), flags.Contains("--skip-seed"),
                values.GetValueOrDefault("--server-dll"), Optional("--server-pid", 1, int.MaxValue), Optional("--max-requests", 1, int.MaxValue),
                Int("--handlers", 0, 0, 10_000), Int("--rate", 0, 0, 100_000_000), values.GetValueOrDefault("--target") ?? "simlane",
                Int("--lag-probes", 0, 0, MaxLagProbes), flags.Contains("--keep-database"), flags.Contains("--batch-ids"));
            if (options.Reserved > 0 && options.Reserved >= options.Sims)
            {
                throw new ArgumentException($"--handlers (plus {LatencyProbe.WarmupProbes} warm-up probes when set) + --lag-probes ({options.Reserved}) must be fewer than --sims ({options.Sims}): each probe needs a SIM of its own and the load needs the rest");
            }

            if (options.Database is { } database && string.IsNullOrWhiteSpace(database))
            {
                throw new ArgumentException("--database must not be empty");
            }

            return options;
        }
    }

    /// <summary>
    /// Seeds SIMs directly with SQL: one template SIM (and its primary subscription) written through EF, then
    /// copied N-1 times by a single INSERT … SELECT over a generated series. Registering a million SIMs through
    /// the API would hash a million registration secrets with PBKDF2 (about an hour on two cores) and measure
    /// nothing the usage benchmark cares about.
    /// </summary>
    internal static class Seeder
    {
        public static string SimId(long i) => "LG" + i.ToString("D13", CultureInfo.InvariantCulture);

        public static string Imsi(long i) => "00101" + i.ToString("D10", CultureInfo.InvariantCulture);

        public static async Task SeedAsync(DatabaseOptions options, int count, string operatorId)
        {
            await Migrator.MigrateAsync(options);
            await using var db = options.CreateContext();
            // Registered at the start of the current UTC month: the billing aggregation (hourly, on the hour) then recomputes one
            // month of SIM-days, as it does in steady state (earlier months closed), not years of them.
#pragma warning disable RS0030 // a separate program: the server it starts runs on the machine's clock
            var today = DateTimeOffset.UtcNow;
#pragma warning restore RS0030
            var now = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var sim = new Sim
            {
                SimId = SimId(0), OperatorId = operatorId, Status = SimStatus.Active, SpeedClass = SpeedClasses.S1Standard, Type = "physical",
                ModuleType = "nano", CreatedTime = now, LastModifiedTime = now, RegisteredTime = now,
            };
            sim.Subscriptions.Add(new Subscription { Imsi = Imsi(0), SimId = sim.SimId, Iccid = "8981000000000000000", Plan = Plans.Plan01s, IsPrimary = true, CreatedTime = now });
            db.Sims.Add(sim);
            await db.SaveChangesAsync();
            if (count <= 1)
            {
                return;
            }

            var postgres = options.Provider == DatabaseProvider.Postgres;
            var simIdExpr = postgres ? "'LG' || lpad(n.i::text, 13, '0')" : "'LG' || printf('%013d', n.i)";
            var imsiExpr = postgres ? "'00101' || lpad(n.i::text, 10, '0')" : "'00101' || printf('%010d', n.i)";
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var (entity, keyColumn, overrides) in new[]
            {
                (typeof(Sim), "sim_id", new Dictionary<string, string> { ["sim_id"] = simIdExpr }),
                (typeof(Subscription), "imsi", new Dictionary<string, string> { ["imsi"] = imsiExpr, ["sim_id"] = simIdExpr }),
            })
            {
                var type = db.Model.FindEntityType(entity)!;
                var table = type.GetTableName()!;
                var columns = type.GetProperties().Select(p => p.GetColumnName(StoreObjectIdentifier.Table(table, null))!).ToList();
                var select = columns.Select(c => overrides.TryGetValue(c, out var e) ? e : "t." + c);
                var template = keyColumn == "sim_id" ? SimId(0) : Imsi(0);
                var sql = $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1}) "
                    + $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", select)} FROM n CROSS JOIN {table} t WHERE t.{keyColumn} = '{template}'";
                db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
                await db.Database.ExecuteSqlRawAsync(sql);
            }

            await transaction.CommitAsync();
        }
    }

    internal sealed record OperatorCredentials(string OperatorId, string AuthKeyId, string AuthKey);

    internal static class ServerHost
    {
        private static string ServerDll(LoadGenOptions options)
        {
            var dll = options.ServerDll ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Simlane.Server/bin/Release/net10.0/simlane-server.dll"));
            return File.Exists(dll)
                ? dll
                : throw new FileNotFoundException($"Build the server first (dotnet build -c Release src/Simlane.Server) or pass --server-dll; not found: {dll}");
        }

        /// <summary>Creates the operator that owns the seeded SIMs with <c>simlane-server admin create-operator</c> (it also migrates the database).</summary>
        public static async Task<OperatorCredentials> CreateOperatorAsync(LoadGenOptions options, string database)
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { ServerDll(options), "admin", "create-operator", "--email", "loadgen@example.com", "--database", database })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run simlane-server admin");
            var stdout = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"admin create-operator failed ({process.ExitCode}): {stderr}");
            }

            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            var root = json.RootElement;
            return new OperatorCredentials(root.GetProperty("operatorId").GetString()!, root.GetProperty("authKeyId").GetString()!, root.GetProperty("authKey").GetString()!);
        }

        public static Process Start(LoadGenOptions options, string database, IEnumerable<string>? extraArguments = null)
        {
            var dll = ServerDll(options);

            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { dll, "--database", database, "--gateway-key", LoadGenOptions.GatewayKey, "--urls", $"http://127.0.0.1:{options.Port}" }.Concat(extraArguments ?? []))
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Logging__LogLevel__Default"] = "Warning";

            // The latency probes poll the operator API (executions, stats) every 10 ms: the per-operator rate limits
            // (300 requests a minute for event handlers) would answer them 429 within seconds and the probes would measure
            // the limiter's window, not the pipeline. The gateway API they load is never limited.
            start.Environment["Simlane__RateLimits__Enabled"] = "false";
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server");
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine("[server] " + e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine("[server] " + e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Console.WriteLine($"started server pid {process.Id}: {dll}");
            return process;
        }

        /// <summary>Waits for <c>/healthz</c>; fails at once if <paramref name="process"/> (the server started) has exited.</summary>
        public static async Task WaitHealthyAsync(Uri baseUri, Process? process = null)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                if (process is { HasExited: true })
                {
                    throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it became healthy (its output is above)");
                }

                try
                {
                    if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(200);
            }

            throw new TimeoutException("The server did not become healthy within 2 minutes");
        }
    }

    internal sealed record DriveResult(long Records, long Requests, long Errors, double Seconds, List<double> LatenciesMs, string? FirstError, long Late = 0);

    internal static class Driver
    {
        public static async Task<DriveResult> RunAsync(Uri baseUri, LoadGenOptions options)
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", LoadGenOptions.GatewayKey);
            var warmupEnds = Stopwatch.StartNew();
            var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
            var deadline = TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds);
            var lastCounted = warmup;
            long records = 0, requests = 0, errors = 0, issued = 0, late = 0;
            string? firstError = null;
            var latencies = new List<double>[options.Clients];
            var runId = Guid.NewGuid().ToString("N")[..8];
            var tasks = Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
            {
                var random = new Random(client + 1);
                var mine = latencies[client] = [];
                long sequence = 0;
                var sent = 0L;

                // --rate paces each client to its share of the total records/s; a client that falls behind sends at once.
                var interval = options.Rate > 0 ? TimeSpan.FromSeconds((double)options.Clients * options.Batch / options.Rate) : TimeSpan.Zero;
                var offset = interval * client / options.Clients;
                while (warmupEnds.Elapsed < deadline && (options.MaxRequests is not { } max || Interlocked.Increment(ref issued) <= max))
                {
                    if (options.Rate > 0)
                    {
                        var due = offset + (interval * sent) - warmupEnds.Elapsed;
                        if (due > TimeSpan.Zero)
                        {
                            await Task.Delay(due);
                        }

                        sent++;
                    }

                    var body = BuildBatch(options, random, $"{runId}-{client}-", ref sequence);
                    var started = Stopwatch.GetTimestamp();
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync(new Uri("/v1/gateway/usage", UriKind.Relative), content);
                    var text = await response.Content.ReadAsStringAsync();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    // Measured: the answers that arrive inside [warm-up end, deadline]. An answer after the deadline is not
                    // counted (and neither is the time after it), so a batch slower than the window cannot inflate the rate.
                    var answeredAt = warmupEnds.Elapsed;
                    var inWindow = answeredAt >= warmup && answeredAt <= deadline;
                    if (answeredAt > deadline)
                    {
                        Interlocked.Increment(ref late);
                    }
                    if (inWindow)
                    {
                        lock (latencies)
                        {
                            lastCounted = answeredAt > lastCounted ? answeredAt : lastCounted;
                        }
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {text}", null);
                        continue;
                    }

                    if (inWindow)
                    {
                        using var json = JsonDocument.Parse(text);
                        Interlocked.Add(ref records, json.RootElement.GetProperty("accepted").GetInt32());
                        Interlocked.Increment(ref requests);
                        mine.Add(elapsed);
                    }
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            // The window is the whole --seconds, or up to the last counted answer when --max-requests ended the run early.
            var ranToDeadline = warmupEnds.Elapsed >= deadline;
            var seconds = ((ranToDeadline ? deadline : lastCounted) - warmup).TotalSeconds;
            return new DriveResult(records, requests, errors, seconds, latencies.SelectMany(l => l).Order().ToList(), firstError, late);
        }

        private static byte[] BuildBatch(LoadGenOptions options, Random random, string prefix, ref long sequence)
        {
            // The load generator is a separate program; it stamps records with the machine's clock like a gateway would.
#pragma warning disable RS0030
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
#pragma warning restore RS0030
            using var stream = new MemoryStream(options.Batch * 170);
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                if (options.BatchIds)
                {
                    writer.WriteString("batchId", prefix + "b" + sequence.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteStartArray("records");
                for (var i = 0; i < options.Batch; i++)
                {
                    writer.WriteStartObject();
                    var record = sequence++;
                    if (!options.BatchIds)
                    {
                        writer.WriteString("recordId", prefix + record.ToString(CultureInfo.InvariantCulture));
                    }

                    // The last --handlers (+ warm-up probes) + --lag-probes IMSIs belong to the probes and get no background traffic.
                    writer.WriteString("imsi", Seeder.Imsi(random.NextInt64(options.Sims - options.Reserved)));
                    writer.WriteNumber("unixtime", now - random.Next(600));
                    writer.WriteNumber("uploadBytes", random.Next(1, 100_000));
                    writer.WriteNumber("downloadBytes", random.Next(1, 1_000_000));
                    writer.WriteNumber("uploadPackets", random.Next(1, 100));
                    writer.WriteNumber("downloadPackets", random.Next(1, 1000));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return stream.ToArray();
        }
    }

    internal static class ProcStatus
    {
        public static long? PeakKib(int pid) => Read(pid, "VmHWM:");

        public static long? CurrentKib(int pid) => Read(pid, "VmRSS:");

        private static long? Read(int pid, string field)
        {
            var path = $"/proc/{pid}/status";
            if (!File.Exists(path))
            {
                return null;
            }

            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
    }

    internal static class Report
    {
        public static string FormatLatency(LoadGenOptions options, List<double> latencies, int timeouts, List<double> postMs)
        {
            latencies.Sort();
            postMs.Sort();
            static double Of(List<double> values, double p) => values.Count == 0 ? double.NaN : values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
            double Percentile(double p) => Of(latencies, p);
            return string.Join(
                Environment.NewLine,
                "--- usage accepted -> firing recorded ---",
                $"handlers {options.Handlers} (SubscriberDailyTrafficRule, 1 MiB, BEGINNING_OF_NEXT_DAY), probes {latencies.Count + timeouts}, fired {latencies.Count}, timed out (10 s) {timeouts}",
                $"latency p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F1} ms (polled every {LatencyProbe.PollMs} ms)",
                $"probe usage POST answer time p50 {Of(postMs, 0.50):F1} ms, p99 {Of(postMs, 0.99):F1} ms (before the latency above starts)");
        }

        public static string Format(LoadGenOptions options, DriveResult result, long? peakKib, long? currentKib)
        {
            double Percentile(double p) => result.LatenciesMs.Count == 0 ? double.NaN : result.LatenciesMs[Math.Min(result.LatenciesMs.Count - 1, (int)Math.Ceiling(p * result.LatenciesMs.Count) - 1)];
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            return string.Join(
                Environment.NewLine,
                "--- result ---",
                $"sims {options.Sims:N0}, clients {options.Clients}, batch {options.Batch}, measured {result.Seconds:F1} s after {options.WarmupSeconds} s warm-up",
                $"records accepted {result.Records:N0} in {result.Requests:N0} requests answered inside the window ({result.Late} answered after it, not counted); errors {result.Errors}{(result.FirstError is null ? "" : " (first: " + result.FirstError + ")")}",
                $"sustained {result.Records / result.Seconds:N0} records/s ({result.Requests / result.Seconds:F1} batches/s)",
                $"answer time p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {(result.LatenciesMs.Count == 0 ? double.NaN : result.LatenciesMs[^1]):F1} ms",
                $"server peak memory (VmHWM) {(peakKib is { } p ? $"{p / 1024.0:F0} MiB" : "n/a")}, resident now {(currentKib is { } c ? $"{c / 1024.0:F0} MiB" : "n/a")}",
                $"loadavg {load}, {Environment.ProcessorCount} cores");
        }
    }
}

namespace Simlane.LoadGen
{
    /// <summary>
    /// End-to-end latency from usage accepted to firing recorded: one SubscriberDailyTrafficRule handler (1 MiB,
    /// BEGINNING_OF_NEXT_DAY) per probe IMSI, created through the API under the operator that owns the seeded SIMs.
    /// After the warm-up, one probe at a time sends a single 2 MiB record for its IMSI and, from the moment the usage
    /// POST answers, polls <c>GET /v1/event_handlers/{id}/executions</c> every 10 ms until the firing appears (at most
    /// 10 s), while the driver keeps the background ingest running.
    /// </summary>
    internal sealed class LatencyProbe : IDisposable
    {
        public const int PollMs = 10;
        private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
        private readonly HttpClient http;
        /// <summary>
        /// Probes fired during the warm-up and not counted: the first firing after the server starts pays for compiling the
        /// engine's path (JIT, EF query compilation; measured at 260–394 ms, docs/performance.md), a start-up cost and not the steady state measured.
        /// </summary>
        public const int WarmupProbes = 3;

        private readonly List<(string HandlerId, string Imsi)> handlers;
        private readonly List<(string HandlerId, string Imsi)> warmupHandlers;

        private LatencyProbe(HttpClient http, List<(string HandlerId, string Imsi)> handlers, List<(string HandlerId, string Imsi)> warmupHandlers)
        {
            this.http = http;
            this.handlers = handlers;
            this.warmupHandlers = warmupHandlers;
        }

        /// <summary>Latencies of the warm-up probes (not in the measured ones).</summary>
        public List<double> WarmupMs { get; } = [];

        public int Timeouts { get; private set; }

        /// <summary>Answer time of each probe's own usage POST (it queues behind the background batches).</summary>
        public List<double> PostMs { get; } = [];

        public static async Task<LatencyProbe> CreateAsync(Uri baseUri, LoadGenOptions options, OperatorCredentials credentials)
        {
            var http = await OperatorApi.LoginAsync(baseUri, credentials);
            try
            {
                var created = new List<(string, string)>();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < options.Handlers + WarmupProbes; i++)
                {
                    var imsi = Seeder.Imsi(options.Sims - options.Reserved + i);
                    var body = new Dictionary<string, object>
                    {
                        ["name"] = $"loadgen-latency-{i}",
                        ["status"] = "active",
                        ["targetImsi"] = imsi,
                        ["ruleConfig"] = new Dictionary<string, object>
                        {
                            ["type"] = "SubscriberDailyTrafficRule",
                            ["properties"] = new Dictionary<string, string> { ["inactiveTimeoutDateConst"] = "BEGINNING_OF_NEXT_DAY", ["limitTotalTrafficMegaByte"] = "1" },
                        },
                        ["actionConfigList"] = new[]
                        {
                            new Dictionary<string, object>
                            {
                                ["type"] = "SendMailAction",
                                ["properties"] = new Dictionary<string, string>
                                {
                                    ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = "ops@example.com", ["title"] = "Over 1 MiB ${imsi}", ["message"] = "SIM ${simId}",
                                },
                            },
                        },
                    };
                    using var response = await http.PostAsync(new Uri("/v1/event_handlers", UriKind.Relative), Json(body));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        throw new InvalidOperationException($"creating handler {i} failed: {(int)response.StatusCode} {text}");
                    }

                    using var json = JsonDocument.Parse(text);
                    created.Add((json.RootElement.GetProperty("handlerId").GetString()!, imsi));
                }

                Console.WriteLine($"created {created.Count} handlers through the API in {watch.Elapsed.TotalSeconds:F1} s ({WarmupProbes} of them for warm-up probes)");
                return new LatencyProbe(http, created[WarmupProbes..], created[..WarmupProbes]);
            }
            catch
            {
                http.Dispose();
                throw;
            }
        }

        public async Task<List<double>?> RunAsync(LoadGenOptions options)
        {
            var runId = Guid.NewGuid().ToString("N")[..8];
            var warmup = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds / 2.0));
            foreach (var (handlerId, imsi) in warmupHandlers)
            {
                if (await ProbeAsync(handlerId, imsi, runId) is { } ms)
                {
                    WarmupMs.Add(ms);
                }
            }

            if (TimeSpan.FromSeconds(options.WarmupSeconds) > warmup.Elapsed)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds) - warmup.Elapsed);
            }

            PostMs.Clear();
            Timeouts = 0;
            var until = Stopwatch.StartNew();
            var latencies = new List<double>();

            // Probes spread evenly over the measured window (probe i starts at i x seconds / handlers), so they sample its
            // quiet moments and its stalls (the fold's checkpoints) alike, rather than the first seconds only.
            var spacing = TimeSpan.FromSeconds((double)options.Seconds / Math.Max(1, handlers.Count));
            var index = 0;
            foreach (var (handlerId, imsi) in handlers)
            {
                var due = spacing * index++;
                if (due > until.Elapsed)
                {
                    await Task.Delay(due - until.Elapsed);
                }

                if (until.Elapsed > TimeSpan.FromSeconds(options.Seconds))
                {
                    break;
                }

                if (await ProbeAsync(handlerId, imsi, runId) is { } ms)
                {
                    latencies.Add(ms);
                }
            }

            return latencies;
        }

        /// <summary>Sends one probe record and answers the time from its usage POST's answer to the firing, or null after the timeout.</summary>
        private async Task<double?> ProbeAsync(string handlerId, string imsi, string runId)
        {
#pragma warning disable RS0030 // a separate program stamping records with the machine's clock, like a gateway
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
#pragma warning restore RS0030
            var record = new Dictionary<string, object>
            {
                ["recordId"] = $"probe-{runId}-{imsi}", ["imsi"] = imsi, ["unixtime"] = now, ["uploadBytes"] = 0, ["downloadBytes"] = 2 * 1_048_576,
                ["uploadPackets"] = 1, ["downloadPackets"] = 1,
            };
            var posting = Stopwatch.StartNew();
            using (var usage = await http.PostAsync(new Uri("/v1/gateway/usage", UriKind.Relative), Json(new Dictionary<string, object> { ["records"] = new[] { record } })))
            {
                if (!usage.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"probe usage failed: {(int)usage.StatusCode} {await usage.Content.ReadAsStringAsync()}");
                }
            }

            PostMs.Add(posting.Elapsed.TotalMilliseconds);
            var accepted = Stopwatch.StartNew();
            while (accepted.Elapsed < ProbeTimeout)
            {
                using var executions = await http.GetAsync(new Uri($"/v1/event_handlers/{handlerId}/executions", UriKind.Relative));
                if (executions.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"probe executions GET failed: {(int)executions.StatusCode} {await executions.Content.ReadAsStringAsync()}");
                }

                using var json = JsonDocument.Parse(await executions.Content.ReadAsStringAsync());
                if (json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() > 0)
                {
                    return accepted.Elapsed.TotalMilliseconds;
                }

                await Task.Delay(PollMs);
            }

            Timeouts++;
#pragma warning disable RS0030 // the machine's clock, to line the probe up with the server's log
            Console.WriteLine($"probe timed out: IMSI {imsi}, handler {handlerId}, accepted at {DateTimeOffset.UtcNow.AddMilliseconds(-accepted.Elapsed.TotalMilliseconds):HH:mm:ss.fff} UTC");
#pragma warning restore RS0030
            return null;
        }

        public void Dispose() => http.Dispose();

        private static ByteArrayContent Json<T>(T value) => OperatorApi.Json(value);
    }
}
