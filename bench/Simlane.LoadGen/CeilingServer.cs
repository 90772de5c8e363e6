using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Simlane.Storage;

namespace Simlane.LoadGen;

/// <summary>
/// <c>simlane-loadgen ceiling-server --mode parse|append --port P [--database FILE]</c>: the ceilings issue 14 measures
/// Simlane's ingest against, as a separate process the load generator starts (<c>--target parse|append</c>), answering the
/// same <c>POST /v1/gateway/usage</c> batches as Simlane on 127.0.0.1:
/// <list type="bullet">
/// <item><c>parse</c>: ASP.NET Core reads and parses the batch and answers <c>{"accepted": n}</c>; nothing is stored (the
///   framework ceiling).</item>
/// <item><c>append</c>: the same, and each record is appended to one table, batches that arrive while a commit runs sharing
///   the next commit (group commit); answered after the commit (the storage ceiling: a durable append and nothing else).
///   SQLite (a file): WAL, synchronous=FULL, one prepared INSERT per record. PostgreSQL (a connection string): one binary
///   COPY per group of batches on one connection, committed with the server's synchronous_commit (on by default).</item>
/// </list>
/// </summary>
internal static class CeilingServer
{
    private sealed record Entry(string RecordId, string Imsi, long Unixtime, long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets);

    public static async Task<int> RunAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        var mode = values.GetValueOrDefault("--mode");
        if (mode is not ("parse" or "append") || !int.TryParse(values.GetValueOrDefault("--port"), CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync("usage: simlane-loadgen ceiling-server --mode parse|append --port P [--database FILE|PostgreSQL connection string]");
            return 2;
        }

        await using var journal = mode == "append"
            ? await Journal.OpenAsync(values.GetValueOrDefault("--database") ?? Path.Combine(Path.GetTempPath(), $"simlane-ceiling-{Environment.ProcessId}.db"))
            : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/v1/gateway/usage", async (HttpRequest request) =>
        {
            var entries = await ParseAsync(request);
            if (entries is null)
            {
                return Results.BadRequest(new { code = "INVALID", message = "a body {\"records\": [...]} with every field" });
            }

            if (journal is not null)
            {
                await journal.AppendAsync(entries);
            }

            return Results.Json(new { accepted = entries.Count, duplicates = 0 });
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>The batch's records, every field present and of its type; null for anything else.</summary>
    private static async Task<List<Entry>?> ParseAsync(HttpRequest request)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            if (!json.RootElement.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var entries = new List<Entry>(records.GetArrayLength());
            foreach (var r in records.EnumerateArray())
            {
                entries.Add(new Entry(
                    (r.TryGetProperty("recordId", out var id) ? id.GetString() : null) ?? "", r.GetProperty("imsi").GetString()!, r.GetProperty("unixtime").GetInt64(),
                    r.GetProperty("uploadBytes").GetInt64(), r.GetProperty("downloadBytes").GetInt64(),
                    r.GetProperty("uploadPackets").GetInt64(), r.GetProperty("downloadPackets").GetInt64()));
            }

            return entries;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One table, appended to by one writer loop; the batches queued while a commit runs share the next one.</summary>
    private abstract class Journal : IAsyncDisposable
    {
        private readonly Channel<(List<Entry> Entries, TaskCompletionSource Done)> queue = Channel.CreateUnbounded<(List<Entry>, TaskCompletionSource)>();
        private Task? loop;

        /// <summary>A SQLite journal for a file, a PostgreSQL one for a PostgreSQL connection string.</summary>
        public static async Task<Journal> OpenAsync(string database)
        {
            var options = DatabaseOptions.Parse(database);
            Journal journal = options.Provider == DatabaseProvider.Postgres
                ? await PostgresJournal.CreateAsync(options.ConnectionString)
                : await SqliteJournal.CreateAsync(database);
            journal.loop = Task.Run(journal.RunAsync);
            return journal;
        }

        public Task AppendAsync(List<Entry> entries)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return queue.Writer.TryWrite((entries, done)) ? done.Task : Task.FromException(new InvalidOperationException("the journal is closed"));
        }

        /// <summary>Appends the records of every batch in <paramref name="group"/> and commits once.</summary>
        protected abstract Task CommitAsync(List<(List<Entry> Entries, TaskCompletionSource Done)> group);

        protected abstract ValueTask CloseAsync();

        private async Task RunAsync()
        {
            var pending = new List<(List<Entry> Entries, TaskCompletionSource Done)>();
            while (await queue.Reader.WaitToReadAsync())
            {
                pending.Clear();
                while (queue.Reader.TryRead(out var item))
                {
                    pending.Add(item);
                }

                try
                {
                    await CommitAsync(pending);
                    pending.ForEach(p => p.Done.TrySetResult());
                }
#pragma warning disable CA1031 // a failed commit fails its batches, never the loop
                catch (Exception e)
#pragma warning restore CA1031
                {
                    pending.ForEach(p => p.Done.TrySetException(e));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            queue.Writer.TryComplete();
            if (loop is not null)
            {
                await loop;
            }

            await CloseAsync();
        }
    }

    /// <summary>WAL, synchronous=FULL (like Simlane), one prepared INSERT per record inside the group's transaction.</summary>
    private sealed class SqliteJournal(SqliteConnection connection, SqliteCommand insert) : Journal
    {
        public static async Task<SqliteJournal> CreateAsync(string file)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    + "CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, imsi TEXT NOT NULL, unixtime INTEGER NOT NULL, "
                    + "upload_bytes INTEGER NOT NULL, download_bytes INTEGER NOT NULL, upload_packets INTEGER NOT NULL, download_packets INTEGER NOT NULL);";
                await setup.ExecuteNonQueryAsync();
            }

            var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO journal (record_id, imsi, unixtime, upload_bytes, download_bytes, upload_packets, download_packets) VALUES ($r, $i, $t, $ub, $db, $up, $dp)";
            foreach (var name in new[] { "$r", "$i", "$t", "$ub", "$db", "$up", "$dp" })
            {
                insert.Parameters.Add(new SqliteParameter(name, 0));
            }

            return new SqliteJournal(connection, insert);
        }

        protected override async Task CommitAsync(List<(List<Entry> Entries, TaskCompletionSource Done)> group)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            foreach (var entry in group.SelectMany(p => p.Entries))
            {
                insert.Parameters[0].Value = entry.RecordId;
                insert.Parameters[1].Value = entry.Imsi;
                insert.Parameters[2].Value = entry.Unixtime;
                insert.Parameters[3].Value = entry.UploadBytes;
                insert.Parameters[4].Value = entry.DownloadBytes;
                insert.Parameters[5].Value = entry.UploadPackets;
                insert.Parameters[6].Value = entry.DownloadPackets;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        protected override async ValueTask CloseAsync()
        {
            await insert.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// One binary COPY per group on one connection; a COPY is one statement, so it commits (durably, with the server's
    /// synchronous_commit, on by default) when it completes. <c>seq</c> is an identity column with no index, like SQLite's
    /// rowid, which is the table itself: the position a fold would resume from, at the cost of a sequence, not a B-tree.
    /// </summary>
    private sealed class PostgresJournal(NpgsqlConnection connection) : Journal
    {
        public static async Task<PostgresJournal> CreateAsync(string connectionString)
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "CREATE TABLE IF NOT EXISTS journal (seq bigint GENERATED ALWAYS AS IDENTITY, record_id text NOT NULL, imsi text NOT NULL, "
                    + "unixtime bigint NOT NULL, upload_bytes bigint NOT NULL, download_bytes bigint NOT NULL, upload_packets bigint NOT NULL, download_packets bigint NOT NULL)";
                await setup.ExecuteNonQueryAsync();
            }

            return new PostgresJournal(connection);
        }

        protected override async Task CommitAsync(List<(List<Entry> Entries, TaskCompletionSource Done)> group)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY journal (record_id, imsi, unixtime, upload_bytes, download_bytes, upload_packets, download_packets) FROM STDIN (FORMAT BINARY)");
            foreach (var entry in group.SelectMany(p => p.Entries))
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(entry.RecordId, NpgsqlDbType.Text);
                await copy.WriteAsync(entry.Imsi, NpgsqlDbType.Text);
                await copy.WriteAsync(entry.Unixtime, NpgsqlDbType.Bigint);
                await copy.WriteAsync(entry.UploadBytes, NpgsqlDbType.Bigint);
                await copy.WriteAsync(entry.DownloadBytes, NpgsqlDbType.Bigint);
                await copy.WriteAsync(entry.UploadPackets, NpgsqlDbType.Bigint);
                await copy.WriteAsync(entry.DownloadPackets, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        protected override ValueTask CloseAsync() => connection.DisposeAsync();
    }

    /// <summary>Starts this program as <c>ceiling-server</c> in its own process, like the Simlane server it stands in for.</summary>
    public static Process Start(string mode, int port, string database)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(CeilingServer).Assembly.Location, "ceiling-server", "--mode", mode, "--port", port.ToString(CultureInfo.InvariantCulture), "--database", database })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the ceiling server");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine($"[ceiling] {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine($"[ceiling] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
