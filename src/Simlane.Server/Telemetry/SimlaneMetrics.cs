using System.Diagnostics.Metrics;

namespace Simlane.Server.Telemetry;

/// <summary>
/// Simlane's own instruments on the <c>Simlane.Server</c> meter (docs/operations.md, "Metrics"). Labels never carry an
/// operator's data (no operator, SIM, IMSI or handler IDs): only bounded sets such as an outcome or a door.
/// Exported as <c>simlane_*</c> series by the Prometheus endpoint and through OTLP when those are on; without an
/// exporter listening, recording costs next to nothing.
/// </summary>
public sealed class SimlaneMetrics : IDisposable
{
    public const string MeterName = "Simlane.Server";

    /// <summary>The doors usage comes in by, the <c>door</c> label.</summary>
    public static class Doors
    {
        public const string Gateway = "gateway";
        public const string Sandbox = "sandbox";
        public const string Radius = "radius";
        public const string Diameter = "diameter";
    }

    private readonly Meter meter;
    private readonly Counter<long> usageRecords;
    private readonly Histogram<double> usageBatchDuration;
    private readonly Counter<long> firings;
    private readonly Counter<long> timersFired;
    private readonly Counter<long> deliveryAttempts;
    private readonly Histogram<double> timerLateness;
    private readonly Histogram<double> firingLatency;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, List<StagedFiring>> staged = [];

    public SimlaneMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        usageRecords = meter.CreateCounter<long>("simlane.usage.records", unit: "{record}",
            description: "Usage records acknowledged durably, by door and outcome (accepted, or duplicate: an ID already counted).");
        usageBatchDuration = meter.CreateHistogram<double>("simlane.usage.batch.duration", unit: "s",
            description: "Time from a usage batch's arrival at metering to its durable commit, by door.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        firings = meter.CreateCounter<long>("simlane.engine.firings", unit: "{firing}",
            description: "Event handler firings recorded, by rule type and cause (the event type, or timer for a re-evaluation).");
        firingLatency = meter.CreateHistogram<double>("simlane.engine.firing.latency", unit: "s",
            description: "From the triggering event (a usage event: its batch's acceptance) to the firing's commit, by cause; by the server's clock.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        deliveryAttempts = meter.CreateCounter<long>("simlane.actions.delivery_attempts", unit: "{attempt}",
            description: "Action delivery attempts, by action type, the attempt's outcome (succeeded, retry, failed) and the delivery's state after it.");
        timersFired = meter.CreateCounter<long>("simlane.timers.fired", unit: "{timer}",
            description: "Timers fired (expiry, re-evaluation, billing, …), by kind.");
        timerLateness = meter.CreateHistogram<double>("simlane.timers.lateness", unit: "s",
            description: "How late a timer fired after its due time, by the server's clock, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
    }

    /// <summary>Records one attempt of a delivery of <paramref name="actionType"/> and the delivery's <paramref name="state"/> after it.</summary>
    public void DeliveryAttempted(string actionType, Core.Actions.ActionOutcomeKind outcome, string state) =>
        deliveryAttempts.Add(1, new KeyValuePair<string, object?>("action_type", actionType),
            new KeyValuePair<string, object?>("outcome", outcome switch
            {
                Core.Actions.ActionOutcomeKind.Succeeded => "succeeded",
                Core.Actions.ActionOutcomeKind.Retry => "retry",
                _ => "failed",
            }),
            new KeyValuePair<string, object?>("state", state));

    /// <summary>Records a timer of <paramref name="kind"/> that fired (committed) <paramref name="lateMs"/> after its due time.</summary>
    public void TimerFired(string kind, long lateMs)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        timersFired.Add(1, tag);
        timerLateness.Record(Math.Max(0, lateMs) / 1000.0, tag);
    }

    private static readonly double[] LatenessBuckets = [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600];

    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>A firing staged in a transaction that has not committed yet.</summary>
    private readonly record struct StagedFiring(string RuleType, string Cause, double? LatencySeconds);

    /// <summary>
    /// Notes a firing staged in the transaction of <paramref name="unitOfWork"/> (the context): counted only when
    /// <see cref="Committed"/> is called for it, so a rolled-back batch that is consumed again is not counted twice.
    /// <paramref name="causeTime"/> is the triggering event's time (a usage event's is its batch's acceptance), null for a
    /// re-evaluation timer; <paramref name="cause"/> the event type or <c>timer</c>.
    /// </summary>
    public void FiringStaged(object unitOfWork, string ruleType, string cause, long? causeTime, long now) =>
        staged.GetOrCreateValue(unitOfWork).Add(new StagedFiring(ruleType, cause, causeTime is { } t ? Math.Max(0, now - t) / 1000.0 : null));

    /// <summary>Records the firings staged in <paramref name="unitOfWork"/>'s transaction, which has committed.</summary>
    public void Committed(object unitOfWork)
    {
        if (!staged.TryGetValue(unitOfWork, out var list))
        {
            return;
        }

        staged.Remove(unitOfWork);
        foreach (var firing in list)
        {
            var ruleType = new KeyValuePair<string, object?>("rule_type", firing.RuleType);
            firings.Add(1, ruleType, new KeyValuePair<string, object?>("cause", firing.Cause));
            if (firing.LatencySeconds is { } latency)
            {
                firingLatency.Record(latency, new KeyValuePair<string, object?>("cause", firing.Cause));
            }
        }
    }

    /// <summary>Forgets what <paramref name="unitOfWork"/> staged (its transaction rolled back).</summary>
    public void RolledBack(object unitOfWork) => staged.Remove(unitOfWork);

    /// <summary>Meters are created once per server; <see cref="Meter"/> exposes this one to code that adds observable instruments.</summary>
    public Meter Meter => meter;

    /// <summary>Records a committed usage batch of <paramref name="door"/>.</summary>
    public void UsageCommitted(string door, long accepted, long duplicates, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("door", door);
        if (accepted > 0)
        {
            usageRecords.Add(accepted, tag, new KeyValuePair<string, object?>("outcome", "accepted"));
        }

        if (duplicates > 0)
        {
            usageRecords.Add(duplicates, tag, new KeyValuePair<string, object?>("outcome", "duplicate"));
        }

        usageBatchDuration.Record(duration.TotalSeconds, tag);
    }

    public void Dispose() => meter.Dispose();
}
