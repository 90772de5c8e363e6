using System.Diagnostics.Metrics;
using Simlane.Server.Engine;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Telemetry;

/// <summary>
/// Observable gauges read from the database on <c>Simlane.Server</c>: the rule engine's backlog,
/// <c>simlane.outbox.backlog</c> (events written but not consumed yet: the newest event's ID minus the engine cursor) and
/// <c>simlane.outbox.oldest_age</c> (how long the oldest of them has waited, by the server's clock), read at most once per
/// <see cref="MaxStaleness"/> (three indexed reads); and <c>simlane.sessions.open</c>, the data sessions open across every
/// door, read at most once per <see cref="MetricsOptions.SessionsCountSeconds"/> (a count over the sessions table, which holds each SIM's
/// current and previous session). Read only when an exporter collects.
/// </summary>
public sealed partial class DatabaseGauges
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(5);

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger<DatabaseGauges> logger;
    private readonly Cached<(long Backlog, double OldestAgeSeconds)> outbox;
    private readonly Cached<long> sessions;

    public DatabaseGauges(SimlaneMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<MetricsOptions> options, ILogger<DatabaseGauges> logger)
    {
        this.scopes = scopes;
        this.clock = clock;
        this.logger = logger;
        outbox = new Cached<(long, double)>(this, MaxStaleness, ReadOutbox);
        sessions = new Cached<long>(this, TimeSpan.FromSeconds(options.Value.SessionsCountSeconds),
            db => db.Sessions.LongCount(s => s.DeletedTime == null));
        metrics.Meter.CreateObservableGauge("simlane.outbox.backlog", () => outbox.Get().Backlog, unit: "{event}",
            description: "Domain events written to the outbox and not yet consumed by the rule engine.");
        metrics.Meter.CreateObservableGauge("simlane.outbox.oldest_age", () => outbox.Get().OldestAgeSeconds, unit: "s",
            description: "How long the oldest unconsumed outbox event has waited (0 when none waits).");
        metrics.Meter.CreateObservableGauge("simlane.sessions.open", sessions.Get, unit: "{session}",
            description: "Data sessions open (gateway API, RADIUS and Diameter Gy alike).");
    }

    /// <summary>The backlog (<see cref="OutboxBacklog"/>, shared with the readiness probe) and its oldest event's wait.</summary>
    private (long Backlog, double OldestAgeSeconds) ReadOutbox(SimlaneDb db)
    {
        // An exporter's collect callback is synchronous; ASP.NET Core has no synchronization context to block.
        var backlog = OutboxBacklog.ReadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        var oldest = backlog.Count > 0
            ? db.DomainEvents.Where(e => e.Id > backlog.Position).OrderBy(e => e.Id).Select(e => (long?)e.OccurredTime).FirstOrDefault()
            : null;
        return (backlog.Count, oldest is { } time ? Math.Max(0, clock.NowMs() - time) / 1000.0 : 0);
    }

    /// <summary>A value read from the database at most once per <c>maxStaleness</c>; a failed read keeps the last value (a scrape must not fail for it).</summary>
    private sealed class Cached<T>(DatabaseGauges owner, TimeSpan maxStaleness, Func<SimlaneDb, T> read)
    {
        private readonly Lock gate = new();
        private T value = default!;
        private long readAt = long.MinValue;

        public T Get()
        {
            lock (gate)
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (readAt != long.MinValue && System.Diagnostics.Stopwatch.GetElapsedTime(readAt, now) < maxStaleness)
                {
                    return value;
                }

                try
                {
                    using var scope = owner.scopes.CreateScope();
                    value = read(scope.ServiceProvider.GetRequiredService<SimlaneDb>());
                }
#pragma warning disable CA1031 // Keep the last value; the failure is logged.
                catch (Exception e)
                {
                    LogReadFailed(owner.logger, e);
                }
#pragma warning restore CA1031

                readAt = now;
                return value;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read a gauge (outbox backlog or open sessions) for the metrics; the last value is reported")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
