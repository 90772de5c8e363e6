using Microsoft.EntityFrameworkCore;
using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// A SIM's counters are the sums of its subscriptions' (decision S66): the fold writes no counter of scope
/// <see cref="Simlane.Core.Usage.UsageScope.Sim"/>, and readers of a SIM's traffic read the Subscriber counters of every IMSI the
/// SIM has (an IMSI belongs to one SIM for good, so these hold exactly the traffic the SIM counters held).
/// </summary>
internal static class SimCounters
{
    /// <summary>Every IMSI (primary and secondary) of <paramref name="simIds"/>, IMSI → SIM ID.</summary>
    public static async Task<Dictionary<string, string>> ImsisOfAsync(SimlaneDb db, IReadOnlyCollection<string> simIds, CancellationToken cancellationToken)
    {
        var ids = simIds.Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Subscriptions.AsNoTracking().Where(s => ids.Contains(s.SimId))
                .ToDictionaryAsync(s => s.Imsi, s => s.SimId, StringComparer.Ordinal, cancellationToken);
    }
}

/// <summary>
/// Subscriber counters have no month rows (decision S67): a subscriber's (and so a SIM's) month is the sum of its UTC days,
/// read from the day rows. Group and Operator counters keep theirs (one row per group or operator, not per record).
/// </summary>
internal static class SubscriberMonths
{
    /// <summary>The period whose rows hold <paramref name="period"/> of <paramref name="scope"/>.</summary>
    public static UsagePeriod Stored(UsageScope scope, UsagePeriod period) =>
        scope == UsageScope.Subscriber && period == UsagePeriod.Month ? UsagePeriod.Day : period;

    /// <summary>
    /// Rows of <paramref name="period"/> as read through <see cref="Stored"/>: day rows summed into one row per unit, month and
    /// speed class when the period is a derived month, otherwise <paramref name="rows"/> themselves.
    /// </summary>
    public static List<UsageCounter> As(UsageScope scope, UsagePeriod period, List<UsageCounter> rows)
    {
        if (Stored(scope, period) == period)
        {
            return rows;
        }

        return [.. rows
            .GroupBy(r => (r.ScopeId, Month: UsageWindows.MonthStart(r.BucketStart), r.SpeedClass))
            .Select(g => new UsageCounter
            {
                Scope = scope, ScopeId = g.Key.ScopeId, Period = period, BucketStart = g.Key.Month, SpeedClass = g.Key.SpeedClass,
                OperatorId = g.First().OperatorId,
                UploadBytes = g.Sum(r => r.UploadBytes), DownloadBytes = g.Sum(r => r.DownloadBytes),
                UploadPackets = g.Sum(r => r.UploadPackets), DownloadPackets = g.Sum(r => r.DownloadPackets),
            })];
    }
}
