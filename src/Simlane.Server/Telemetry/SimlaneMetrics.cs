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

    public SimlaneMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        usageRecords = meter.CreateCounter<long>("simlane.usage.records", unit: "{record}",
            description: "Usage records acknowledged durably, by door and outcome (accepted, or duplicate: an ID already counted).");
        usageBatchDuration = meter.CreateHistogram<double>("simlane.usage.batch.duration", unit: "s",
            description: "Time from a usage batch's arrival at metering to its durable commit, by door.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

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
