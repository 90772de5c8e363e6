using Microsoft.EntityFrameworkCore;
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

    /// <summary>Every IMSI of the operator's SIMs, IMSI → SIM ID.</summary>
    public static Task<Dictionary<string, string>> OperatorImsisAsync(SimlaneDb db, string operatorId, CancellationToken cancellationToken) =>
        (from s in db.Subscriptions.AsNoTracking()
         join sim in db.Sims.AsNoTracking() on s.SimId equals sim.SimId
         where sim.OperatorId == operatorId
         select new { s.Imsi, s.SimId }).ToDictionaryAsync(x => x.Imsi, x => x.SimId, StringComparer.Ordinal, cancellationToken);
}
