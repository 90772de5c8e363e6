using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>The readiness checks' settings, section <c>Simlane:Health</c> (docs/operations.md, "Health").</summary>
public sealed class HealthOptions
{
    public const string Section = "Simlane:Health";

    /// <summary>Largest bound <see cref="MaxOutboxBacklog"/> allows.</summary>
    public const int MaxOutboxBacklogLimit = 100_000_000;

    /// <summary>Longest <see cref="TimeoutSeconds"/> allows.</summary>
    public const int MaxTimeoutSeconds = 60;

    /// <summary>
    /// Most events the rule engine may have left to consume (outbox ids after its cursor) for the server to be ready,
    /// 1 to <see cref="MaxOutboxBacklogLimit"/>, default 100,000: at the engine's tens of thousands of events a second
    /// (docs/performance.md) a backlog beyond it means rules fire late by more than a few seconds, or the engine is stuck.
    /// </summary>
    public int MaxOutboxBacklog { get; set; } = 100_000;

    /// <summary>How long the checks together may take before the answer is 503, 1 to <see cref="MaxTimeoutSeconds"/> seconds, default 2.</summary>
    public int TimeoutSeconds { get; set; } = 2;

    public void Validate()
    {
        if (MaxOutboxBacklog is < 1 or > MaxOutboxBacklogLimit)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(MaxOutboxBacklog)} must be a whole number of events between 1 and {MaxOutboxBacklogLimit}, not {MaxOutboxBacklog.ToString(CultureInfo.InvariantCulture)}");
        }

        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(TimeoutSeconds)} must be a whole number of seconds between 1 and {MaxTimeoutSeconds}, not {TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

public enum ReadinessStatus
{
    Ok,
    Failed,

    /// <summary>Not run: an earlier check failed.</summary>
    Skipped,
}

/// <summary>One check's outcome; <paramref name="Reason"/> says why it failed or was skipped, never with a secret or a stack trace.</summary>
public sealed record ReadinessCheck(string Name, ReadinessStatus Status, string? Reason = null, long? Backlog = null, int? MaxBacklog = null);

/// <summary>Every check's outcome, in order: <see cref="Readiness.Database"/>, <see cref="Readiness.Migrations"/>, <see cref="Readiness.Outbox"/>.</summary>
public sealed record ReadinessReport(IReadOnlyList<ReadinessCheck> Checks)
{
    public bool Ready => Checks.All(c => c.Status == ReadinessStatus.Ok);

    public ReadinessCheck this[string name] => Checks.Single(c => c.Name == name);

    /// <summary><c>{"status":"ready"|"not_ready","checks":{"database":{"status":"ok"},…}}</c>.</summary>
    public JsonObject ToJson()
    {
        var checks = new JsonObject();
        foreach (var check in Checks)
        {
            var json = new JsonObject
            {
                ["status"] = check.Status switch
                {
                    ReadinessStatus.Ok => "ok",
                    ReadinessStatus.Failed => "failed",
                    _ => "skipped",
                },
            };
            if (check.Backlog is { } backlog)
            {
                json["backlog"] = backlog;
            }

            if (check.MaxBacklog is { } max)
            {
                json["maxBacklog"] = max;
            }

            if (check.Reason is { } reason)
            {
                json["reason"] = reason;
            }

            checks[check.Name] = json;
        }

        return new JsonObject { ["status"] = Ready ? "ready" : "not_ready", ["checks"] = checks };
    }

    /// <summary>The failed checks as <c>name: reason</c>, for the log.</summary>
    public string Failures() =>
        string.Join("; ", Checks.Where(c => c.Status == ReadinessStatus.Failed).Select(c => $"{c.Name}: {c.Reason}"));
}

/// <summary>
/// <c>GET /healthz/ready</c> (docs/operations.md, "Health"): whether this server can do its work, as opposed to
/// <c>/healthz</c>, which only says the process runs. In order, each one cheap enough for a load balancer's probe every
/// few seconds: the database answers <c>SELECT 1</c>; every migration of this build is applied (one read of the
/// migration history); the outbox backlog, the events the rule engine has yet to consume, is at most
/// <see cref="HealthOptions.MaxOutboxBacklog"/> (the newest outbox id, an index's end, less the engine cursor's position,
/// a key lookup; gaps left by rolled-back transactions count, so it can only overstate). A check that fails stops the
/// ones after it (skipped); all of them together get <see cref="HealthOptions.TimeoutSeconds"/>. A failure's reason names
/// no connection string, host or secret (the probe is unauthenticated); the log gets the exception when the server turns
/// not ready, and a line when it is ready again.
/// </summary>
public sealed partial class Readiness(DatabaseOptions database, IOptions<HealthOptions> options, ILogger<Readiness> logger)
{
    public const string Route = "/healthz/ready";

    public const string Database = "database";
    public const string Migrations = "migrations";
    public const string Outbox = "outbox";

    private static readonly string[] Names = [Database, Migrations, Outbox];

    /// <summary>-1 before the first check, then 1 (ready) or 0: the log reports changes, not every probe.</summary>
    private int lastReady = -1;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        var progress = new Progress();
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var run = RunAsync(progress, limit.Token);
        // A driver that ignores cancellation (SQLite waiting on a lock) must not hold the probe: the answer goes at the
        // timeout, and the run finishes (or fails) on its own, disposing its context and then the token source.
        _ = run.ContinueWith(_ => limit.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await run.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported below: the check under way did not answer in time.
        }

        var (report, error) = progress.Complete($"did not answer within {options.Value.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s");
        Observe(report, error);
        return report;
    }

    private async Task RunAsync(Progress progress, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = database.CreateContext();
            foreach (var name in Names)
            {
                progress.Start(name);
                var check = name switch
                {
                    Database => await CheckDatabaseAsync(db, cancellationToken),
                    Migrations => await CheckMigrationsAsync(db, cancellationToken),
                    _ => await CheckOutboxAsync(db, cancellationToken),
                };
                if (!progress.Add(check))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The timeout (or the caller gone): Complete reports the check under way.
        }
        catch (Exception e)
        {
            progress.Fail(Describe(e), e);
        }
    }

    private static async Task<ReadinessCheck> CheckDatabaseAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        return new ReadinessCheck(Database, ReadinessStatus.Ok);
    }

    private static async Task<ReadinessCheck> CheckMigrationsAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var known = db.Database.GetMigrations().ToList();
        var pending = known.Where(id => !applied.Contains(id)).ToList();
        if (pending.Count > 0)
        {
            return new ReadinessCheck(Migrations, ReadinessStatus.Failed,
                $"{pending.Count.ToString(CultureInfo.InvariantCulture)} migration(s) not applied: {string.Join(", ", pending.Take(5))}");
        }

        var unknown = applied.Where(id => !known.Contains(id, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return unknown.Count > 0
            ? new ReadinessCheck(Migrations, ReadinessStatus.Failed,
                $"the database has migration(s) this build does not know, made by another build: {string.Join(", ", unknown.Take(5))}")
            : new ReadinessCheck(Migrations, ReadinessStatus.Ok);
    }

    private async Task<ReadinessCheck> CheckOutboxAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxOutboxBacklog;
        var backlog = (await Engine.OutboxBacklog.ReadAsync(db, cancellationToken)).Count;
        return backlog <= max
            ? new ReadinessCheck(Outbox, ReadinessStatus.Ok, Backlog: backlog, MaxBacklog: max)
            : new ReadinessCheck(Outbox, ReadinessStatus.Failed,
                $"{backlog.ToString(CultureInfo.InvariantCulture)} events wait for the rule engine, more than {HealthOptions.Section}:{nameof(HealthOptions.MaxOutboxBacklog)} ({max.ToString(CultureInfo.InvariantCulture)})",
                backlog, max);
    }

    /// <summary>Why a check threw, without the exception's message (it can name hosts, users or files) or its stack.</summary>
    internal static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return $"could not connect to the database ({socket.SocketErrorCode})";
                case PostgresException postgres:
                    return $"PostgreSQL error {postgres.SqlState}";
                case SqliteException sqlite:
                    return $"SQLite error {sqlite.SqliteErrorCode.ToString(CultureInfo.InvariantCulture)} ({SQLitePCL.raw.sqlite3_errstr(sqlite.SqliteErrorCode).utf8_to_string()})";
                case TimeoutException or NpgsqlException { InnerException: TimeoutException }:
                    return "the database did not answer in time";
                default:
                    break;
            }
        }

        return $"the database failed ({e.GetType().Name}; the server log has the details)";
    }

    private void Observe(ReadinessReport report, Exception? error)
    {
        var ready = report.Ready ? 1 : 0;
        var previous = Interlocked.Exchange(ref lastReady, ready);
        if (previous == ready)
        {
            return;
        }

        if (ready == 0)
        {
            LogNotReady(logger, report.Failures(), error);
        }
        else if (previous == 0)
        {
            LogReadyAgain(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready (" + Route + " answers 503): {Failures}")]
    private static partial void LogNotReady(ILogger logger, string failures, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready again (" + Route + " answers 200)")]
    private static partial void LogReadyAgain(ILogger logger);

    /// <summary>The checks' outcomes as they come in, and the check under way when the time ran out.</summary>
    private sealed class Progress
    {
        private readonly List<ReadinessCheck> done = [];
        private string? current;
        private Exception? error;
        private bool complete;

        public void Start(string name)
        {
            lock (done)
            {
                current = name;
            }
        }

        /// <summary>Records <paramref name="check"/>; answers whether to go on (it passed and the answer has not gone).</summary>
        public bool Add(ReadinessCheck check)
        {
            lock (done)
            {
                if (complete)
                {
                    return false;
                }

                done.Add(check);
                current = null;
                return check.Status == ReadinessStatus.Ok;
            }
        }

        /// <summary>The check under way threw (an exception after the last check, closing the connection, changes nothing).</summary>
        public void Fail(string reason, Exception exception)
        {
            lock (done)
            {
                if (!complete && current is not null)
                {
                    done.Add(new ReadinessCheck(current, ReadinessStatus.Failed, reason));
                    current = null;
                    error = exception;
                }
            }
        }

        /// <summary>The report: the check under way failed with <paramref name="unfinished"/>, those after it skipped.</summary>
        public (ReadinessReport Report, Exception? Error) Complete(string unfinished)
        {
            lock (done)
            {
                complete = true;
                var checks = new List<ReadinessCheck>(done);
                if (current is not null)
                {
                    checks.Add(new ReadinessCheck(current, ReadinessStatus.Failed, unfinished));
                }

                foreach (var name in Names.Skip(checks.Count))
                {
                    checks.Add(new ReadinessCheck(name, ReadinessStatus.Skipped, "not checked: an earlier check failed"));
                }

                return (new ReadinessReport(checks), error);
            }
        }
    }
}

public static class ReadinessEndpoint
{
    /// <summary>Maps <c>GET /healthz/ready</c>: 200 <c>{"status":"ready",…}</c> or 503 <c>{"status":"not_ready",…}</c>; outside /v1, so neither authenticated nor rate limited.</summary>
    public static RouteHandlerBuilder MapReadiness(this WebApplication app)
    {
        var readiness = ActivatorUtilities.CreateInstance<Readiness>(app.Services);
        return app.MapGet(Readiness.Route, async (HttpContext context) =>
        {
            var report = await readiness.CheckAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(report.ToJson(), Json.Options, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).ExcludeFromDescription();
    }
}
