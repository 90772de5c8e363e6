using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Simlane.Storage;

namespace Simlane.LoadGen;

/// <summary>Signs in as the operator that owns the seeded SIMs (the firing and lag probes use the operator API).</summary>
internal static class OperatorApi
{
    public static async Task<HttpClient> LoginAsync(Uri baseUri, OperatorCredentials credentials)
    {
        var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(1) };
        try
        {
            using var auth = await http.PostAsync(
                new Uri("/v1/auth", UriKind.Relative),
                Json(new Dictionary<string, string> { ["authKeyId"] = credentials.AuthKeyId, ["authKey"] = credentials.AuthKey }));
            var authText = await auth.Content.ReadAsStringAsync();
            if (!auth.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"auth failed: {(int)auth.StatusCode} {authText}");
            }

            using (var json = JsonDocument.Parse(authText))
            {
                http.DefaultRequestHeaders.Add("X-Soracom-API-Key", json.RootElement.GetProperty("apiKey").GetString());
                http.DefaultRequestHeaders.Add("X-Soracom-Token", json.RootElement.GetProperty("token").GetString());
            }

            http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", LoadGenOptions.GatewayKey);
            return http;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public static ByteArrayContent Json<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}

/// <summary>
/// Counters lag, usage acknowledged to visible in the stats API (<c>--lag-probes N</c>): after the warm-up, N probes spread
/// evenly over the measured window, one at a time, each for its own SIM at the end of the seeded range (kept out of the
/// background load). A probe sends one record (a known download byte count, stamped now) through
/// <c>POST /v1/gateway/usage</c>, starts the clock when that POST answers, and polls
/// <c>GET /v1/stats/air/subscribers/{imsi}?period=minutes</c> every 10 ms until the bytes show (at most 10 s), while the
/// driver keeps the background ingest running. The lag includes the answer time of the stats GET that first shows them.
/// </summary>
internal sealed class CountersLagProbe : IDisposable
{
    public const int PollMs = 10;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient http;

    private CountersLagProbe(HttpClient http) => this.http = http;

    public List<double> LagMs { get; } = [];

    /// <summary>Answer time of each probe's own usage POST (it queues behind the background batches).</summary>
    public List<double> PostMs { get; } = [];

    /// <summary>Answer time of every stats GET the probes sent: the part of the lag that is reading, not folding.</summary>
    public List<double> GetMs { get; } = [];

    public int Timeouts { get; private set; }

    public int Failures { get; private set; }

    public string? FirstFailure { get; private set; }

    public static async Task<CountersLagProbe> CreateAsync(Uri baseUri, OperatorCredentials credentials) =>
        new(await OperatorApi.LoginAsync(baseUri, credentials));

    public async Task RunAsync(LoadGenOptions options)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        var window = Stopwatch.StartNew();
        var measured = TimeSpan.FromSeconds(options.Seconds);
        var spacing = measured / options.LagProbes;
        var runId = Guid.NewGuid().ToString("N")[..8];
        for (var j = 0; j < options.LagProbes; j++)
        {
            var due = (spacing * j) - window.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            if (window.Elapsed >= measured)
            {
                break;
            }

            var imsi = Seeder.Imsi(options.Sims - options.LagProbes + j);
            var bytes = 1_000 + j;
#pragma warning disable RS0030 // a separate program stamping records with the machine's clock, like a gateway
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
#pragma warning restore RS0030
            var record = new Dictionary<string, object>
            {
                ["recordId"] = $"lag-{runId}-{j}", ["imsi"] = imsi, ["unixtime"] = now, ["uploadBytes"] = 0, ["downloadBytes"] = bytes,
                ["uploadPackets"] = 1, ["downloadPackets"] = 1,
            };
            var posting = Stopwatch.StartNew();
            using (var usage = await http.PostAsync(new Uri("/v1/gateway/usage", UriKind.Relative), OperatorApi.Json(new Dictionary<string, object> { ["records"] = new[] { record } })))
            {
                if (!usage.IsSuccessStatusCode)
                {
                    Fail($"usage POST {(int)usage.StatusCode} {await usage.Content.ReadAsStringAsync()}");
                    continue;
                }
            }

            PostMs.Add(posting.Elapsed.TotalMilliseconds);
            var acknowledged = Stopwatch.StartNew();
            var query = string.Create(CultureInfo.InvariantCulture, $"/v1/stats/air/subscribers/{imsi}?from={now - 900}&to={now + 300}&period=minutes");
            var outcome = await PollAsync(new Uri(query, UriKind.Relative), bytes, acknowledged);
            if (outcome is null)
            {
                LagMs.Add(acknowledged.Elapsed.TotalMilliseconds);
            }
            else if (outcome.Length == 0)
            {
                Timeouts++;
            }
            else
            {
                Fail(outcome);
            }
        }
    }

    /// <summary>Null once <paramref name="bytes"/> download bytes are visible; empty on timeout; the failure otherwise.</summary>
    private async Task<string?> PollAsync(Uri query, long bytes, Stopwatch acknowledged)
    {
        while (acknowledged.Elapsed < ProbeTimeout)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(query);
            var text = await response.Content.ReadAsStringAsync();
            GetMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"stats GET {(int)response.StatusCode} {text}";
            }

            using var json = JsonDocument.Parse(text);
            var seen = json.RootElement.EnumerateArray()
                .SelectMany(bucket => bucket.GetProperty("dataTrafficStatsMap").EnumerateObject())
                .Sum(speedClass => speedClass.Value.GetProperty("downloadByteSizeTotal").GetInt64());
            if (seen >= bytes)
            {
                return null;
            }

            await Task.Delay(PollMs);
        }

        return string.Empty;
    }

    private void Fail(string failure)
    {
        Failures++;
        FirstFailure ??= failure;
    }

    public string Format(LoadGenOptions options)
    {
        LagMs.Sort();
        PostMs.Sort();
        GetMs.Sort();
        return string.Join(
            Environment.NewLine,
            "--- counters lag: usage acknowledged -> visible in GET /v1/stats/air/subscribers/{imsi} ---",
            $"probes {LagMs.Count + Timeouts + Failures} of {options.LagProbes}, visible {LagMs.Count}, timed out ({ProbeTimeout.TotalSeconds:F0} s) {Timeouts}, failed {Failures}{(FirstFailure is null ? "" : " (first: " + FirstFailure + ")")}",
            $"lag p50 {OperatorApi.Percentile(LagMs, 0.50):F1} ms, p99 {OperatorApi.Percentile(LagMs, 0.99):F1} ms, max {(LagMs.Count == 0 ? double.NaN : LagMs[^1]):F1} ms (polled every {PollMs} ms)",
            $"probe usage POST answer time p50 {OperatorApi.Percentile(PostMs, 0.50):F1} ms, p99 {OperatorApi.Percentile(PostMs, 0.99):F1} ms (before the lag above starts)",
            $"stats GET answer time p50 {OperatorApi.Percentile(GetMs, 0.50):F1} ms, p99 {OperatorApi.Percentile(GetMs, 0.99):F1} ms over {GetMs.Count} polls (part of the lag)");
    }

    public void Dispose() => http.Dispose();
}

internal sealed class FreshDatabaseException(string message) : Exception(message);

/// <summary>
/// The database of one run: a SQLite file that must not exist yet (removed after the run with its -wal and -shm), or a
/// PostgreSQL database (the connection string's <c>Database</c>) that must not exist yet, created here on the same server
/// through its <c>postgres</c> database and dropped after the run (unless <c>--keep-database</c>). Refusing an existing one
/// keeps a run from measuring, or destroying, someone else's data.
/// </summary>
internal sealed class FreshDatabase : IAsyncDisposable
{
    private readonly DatabaseOptions options;
    private readonly string? postgresName;

    private FreshDatabase(string value, DatabaseOptions options, string? postgresName)
    {
        Value = value;
        this.options = options;
        this.postgresName = postgresName;
    }

    /// <summary>The <c>--database</c> value, as the server and the ceiling take it.</summary>
    public string Value { get; }

    public bool IsPostgres => postgresName is not null;

    public string Describe() => options.Describe();

    public static async Task<FreshDatabase> CreateAsync(string value)
    {
        var options = DatabaseOptions.Parse(value);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            if (string.IsNullOrWhiteSpace(file) || file.StartsWith(':'))
            {
                throw new FreshDatabaseException($"--database: '{value}' names no SQLite file");
            }

            if (File.Exists(file))
            {
                throw new FreshDatabaseException($"--database: {file} exists. Each run seeds a fresh database and removes it afterwards; remove the file or name another one (or reuse one kept with --keep-database: --skip-seed, --target simlane)");
            }

            return new FreshDatabase(value, options, null);
        }

        var name = new NpgsqlConnectionStringBuilder(options.ConnectionString).Database;
        if (string.IsNullOrEmpty(name) || name is "postgres" or "template0" or "template1")
        {
            throw new FreshDatabaseException("--database: a PostgreSQL connection string needs Database=<name> of a database that does not exist yet (the run creates it and drops it afterwards)");
        }

        try
        {
            await using var admin = await OpenAdminAsync(options);
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
            {
                throw new FreshDatabaseException($"--database: PostgreSQL database '{name}' exists. Each run creates a fresh one and drops it afterwards; name another or drop it (DROP DATABASE \"{name}\")");
            }

            await using var create = new NpgsqlCommand($"CREATE DATABASE {Quote(name)}", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            throw new FreshDatabaseException($"--database: could not create PostgreSQL database '{name}' on {options.Describe()}: {e.Message}");
        }

        Console.WriteLine($"created PostgreSQL database {name}");
        return new FreshDatabase(value, options, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgresName is null)
        {
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync(options);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(postgresName)} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        Console.WriteLine($"dropped PostgreSQL database {postgresName}");
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(DatabaseOptions options)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
