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
var options = LoadGenOptions.Parse(args);
var loopback = new Uri(options.Url ?? $"http://127.0.0.1:{options.Port}");
if (!IPAddress.TryParse(loopback.Host, out var address) || !IPAddress.IsLoopback(address))
{
    await Console.Error.WriteLineAsync("Loopback only: --url must be http://127.0.0.1:<port>");
    return 2;
}

Process? server = null;
try
{
    if (options.Url is null)
    {
        var database = options.Database ?? Path.Combine(Path.GetTempPath(), $"simlane-loadgen-{Environment.ProcessId}.db");
        var db = DatabaseOptions.Parse(database);
        if (!options.SkipSeed)
        {
            var seeding = Stopwatch.StartNew();
            await Seeder.SeedAsync(db, options.Sims);
            Console.WriteLine($"seeded {options.Sims:N0} SIMs directly into {db.Describe()} in {seeding.Elapsed.TotalSeconds:F1} s");
        }

        server = ServerHost.Start(options, database);
        await ServerHost.WaitHealthyAsync(loopback);
    }

    var result = await Driver.RunAsync(loopback, options);
    var peak = server is null ? options.ServerPid is { } pid ? ProcStatus.PeakKib(pid) : null : ProcStatus.PeakKib(server.Id);
    var current = server is null ? null : ProcStatus.CurrentKib(server.Id);
    Console.WriteLine(Report.Format(options, result, peak, current));
    return result.Errors == 0 ? 0 : 1;
}
finally
{
    if (server is { HasExited: false })
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }
}

namespace Simlane.LoadGen
{
    internal sealed record LoadGenOptions(
        int Sims, string? Database, string? Url, int Port, int Clients, int Batch, int Seconds, int WarmupSeconds, bool SkipSeed, string? ServerDll, int? ServerPid,
        int? MaxRequests)
    {
        public const string GatewayKey = "loadgen-gateway-key";

        public static LoadGenOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--skip-seed")
                {
                    flags.Add(args[i]);
                }
                else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    values[args[i]] = args[++i];
                }
                else
                {
                    throw new ArgumentException($"Unknown argument {args[i]}");
                }
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new LoadGenOptions(
                Int("--sims", 1_000_000), values.GetValueOrDefault("--database"), values.GetValueOrDefault("--url"), Int("--port", 5399),
                Int("--clients", 4), Int("--batch", 5000), Int("--seconds", 60), Int("--warmup", 5), flags.Contains("--skip-seed"),
                values.GetValueOrDefault("--server-dll"), values.TryGetValue("--server-pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null,
                values.TryGetValue("--max-requests", out var m) ? int.Parse(m, CultureInfo.InvariantCulture) : null);
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

        public static async Task SeedAsync(DatabaseOptions options, int count)
        {
            await Migrator.MigrateAsync(options);
            await using var db = options.CreateContext();
            var now = 1_700_000_000_000L;
            var sim = new Sim
            {
                SimId = SimId(0), OperatorId = "OPLOADGEN00", Status = SimStatus.Active, SpeedClass = SpeedClasses.S1Standard, Type = "physical",
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

    internal static class ServerHost
    {
        public static Process Start(LoadGenOptions options, string database)
        {
            var dll = options.ServerDll ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Simlane.Server/bin/Release/net10.0/simlane-server.dll"));
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"Build the server first (dotnet build -c Release src/Simlane.Server) or pass --server-dll; not found: {dll}");
            }

            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { dll, "--database", database, "--gateway-key", LoadGenOptions.GatewayKey, "--urls", $"http://127.0.0.1:{options.Port}" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server");
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine("[server] " + e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine("[server] " + e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Console.WriteLine($"started server pid {process.Id}: {dll}");
            return process;
        }

        public static async Task WaitHealthyAsync(Uri baseUri)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromMinutes(2))
            {
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

    internal sealed record DriveResult(long Records, long Requests, long Errors, double Seconds, List<double> LatenciesMs, string? FirstError);

    internal static class Driver
    {
        public static async Task<DriveResult> RunAsync(Uri baseUri, LoadGenOptions options)
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", LoadGenOptions.GatewayKey);
            var warmupEnds = Stopwatch.StartNew();
            var measuring = new Stopwatch();
            var deadline = TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds);
            long records = 0, requests = 0, errors = 0, issued = 0;
            string? firstError = null;
            var latencies = new List<double>[options.Clients];
            var runId = Guid.NewGuid().ToString("N")[..8];
            var tasks = Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
            {
                var random = new Random(client + 1);
                var mine = latencies[client] = [];
                long sequence = 0;
                while (warmupEnds.Elapsed < deadline && (options.MaxRequests is not { } max || Interlocked.Increment(ref issued) <= max))
                {
                    var body = BuildBatch(options, random, $"{runId}-{client}-", ref sequence);
                    var started = Stopwatch.GetTimestamp();
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync(new Uri("/v1/gateway/usage", UriKind.Relative), content);
                    var text = await response.Content.ReadAsStringAsync();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var inWindow = warmupEnds.Elapsed >= TimeSpan.FromSeconds(options.WarmupSeconds);
                    if (inWindow && !measuring.IsRunning)
                    {
                        lock (latencies)
                        {
                            if (!measuring.IsRunning)
                            {
                                measuring.Start();
                            }
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
            measuring.Stop();
            return new DriveResult(records, requests, errors, measuring.Elapsed.TotalSeconds, latencies.SelectMany(l => l).Order().ToList(), firstError);
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
                writer.WriteStartArray("records");
                for (var i = 0; i < options.Batch; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("recordId", prefix + (sequence++).ToString(CultureInfo.InvariantCulture));
                    writer.WriteString("imsi", Seeder.Imsi(random.NextInt64(options.Sims)));
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
        public static string Format(LoadGenOptions options, DriveResult result, long? peakKib, long? currentKib)
        {
            double Percentile(double p) => result.LatenciesMs.Count == 0 ? double.NaN : result.LatenciesMs[Math.Min(result.LatenciesMs.Count - 1, (int)Math.Ceiling(p * result.LatenciesMs.Count) - 1)];
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            return string.Join(
                Environment.NewLine,
                "--- result ---",
                $"sims {options.Sims:N0}, clients {options.Clients}, batch {options.Batch}, measured {result.Seconds:F1} s after {options.WarmupSeconds} s warm-up",
                $"records accepted {result.Records:N0} in {result.Requests:N0} requests; errors {result.Errors}{(result.FirstError is null ? "" : " (first: " + result.FirstError + ")")}",
                $"sustained {result.Records / result.Seconds:N0} records/s ({result.Requests / result.Seconds:F1} batches/s)",
                $"answer time p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {(result.LatenciesMs.Count == 0 ? double.NaN : result.LatenciesMs[^1]):F1} ms",
                $"server peak memory (VmHWM) {(peakKib is { } p ? $"{p / 1024.0:F0} MiB" : "n/a")}, resident now {(currentKib is { } c ? $"{c / 1024.0:F0} MiB" : "n/a")}",
                $"loadavg {load}, {Environment.ProcessorCount} cores");
        }
    }
}
