using System.Diagnostics.Metrics;
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
    private readonly TimeSpan sessionsMaxStaleness;
    private readonly Lock gate = new();
    private (long Backlog, double OldestAgeSeconds) last;
    private long readAt = long.MinValue;
    private long sessionsOpen;
    private long sessionsReadAt = long.MinValue;

    public DatabaseGauges(SimlaneMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<MetricsOptions> options, ILogger<DatabaseGauges> logger)
    {
        sessionsMaxStaleness = TimeSpan.FromSeconds(options.Value.SessionsCountSeconds);
        this.scopes = scopes;
        this.clock = clock;
        this.logger = logger;
        metrics.Meter.CreateObservableGauge("simlane.outbox.backlog", () => Read().Backlog, unit: "{event}",
            description: "Domain events written to the outbox and not yet consumed by the rule engine.");
        metrics.Meter.CreateObservableGauge("simlane.outbox.oldest_age", () => Read().OldestAgeSeconds, unit: "s",
            description: "How long the oldest unconsumed outbox event has waited (0 when none waits).");
        metrics.Meter.CreateObservableGauge("simlane.sessions.open", ReadSessions, unit: "{session}",
            description: "Data sessions open (gateway API, RADIUS and Diameter Gy alike).");
    }

    private long ReadSessions()
    {
        lock (gate)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (sessionsReadAt != long.MinValue && System.Diagnostics.Stopwatch.GetElapsedTime(sessionsReadAt, now) < sessionsMaxStaleness)
            {
                return sessionsOpen;
            }

            try
            {
                using var scope = scopes.CreateScope();
                sessionsOpen = scope.ServiceProvider.GetRequiredService<SimlaneDb>().Sessions.LongCount(s => s.DeletedTime == null);
            }
#pragma warning disable CA1031 // As for the backlog: keep the last value.
            catch (Exception e)
            {
                LogReadFailed(logger, e);
            }
#pragma warning restore CA1031

            sessionsReadAt = now;
            return sessionsOpen;
        }
    }

    private (long Backlog, double OldestAgeSeconds) Read()
    {
        lock (gate)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (readAt != long.MinValue && System.Diagnostics.Stopwatch.GetElapsedTime(readAt, now) < MaxStaleness)
            {
                return last;
            }

            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
                var position = db.EngineCursors.Where(c => c.Name == EngineCursors.Engine).Select(c => (long?)c.Position).SingleOrDefault() ?? 0;
                var newest = db.DomainEvents.Max(e => (long?)e.Id) ?? 0;
                var oldest = newest > position
                    ? db.DomainEvents.Where(e => e.Id > position).OrderBy(e => e.Id).Select(e => (long?)e.OccurredTime).FirstOrDefault()
                    : null;
                var age = oldest is { } time ? Math.Max(0, clock.NowMs() - time) / 1000.0 : 0;
                last = (Math.Max(0, newest - position), age);
            }
#pragma warning disable CA1031 // A gauge that cannot be read keeps its last value; a scrape must not fail for it.
            catch (Exception e)
            {
                LogReadFailed(logger, e);
            }
#pragma warning restore CA1031

            readAt = now;
            return last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read a gauge (outbox backlog or open sessions) for the metrics; the last value is reported")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
