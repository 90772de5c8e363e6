using Microsoft.EntityFrameworkCore;
using Simlane.Core.Engine;
using Simlane.Core.Handlers;
using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>
/// The rule engine's and the dry run's reads (I/O only; every decision is <see cref="RuleEvaluator"/>'s in Core):
/// a stored handler in its typed form, its ignores, a unit's firing state and counter totals.
/// </summary>
internal static class RuleReads
{
    /// <summary>The typed form of a stored handler (<see cref="TypedHandler.FromStored"/>).</summary>
    public static TypedHandler Typed(EventHandlerRow h)
    {
        var (kind, id) = Target(h);
        return TypedHandler.FromStored(h.HandlerId, h.OperatorId, kind, id, h.RuleType, h.RuleProperties, h.Actions);
    }

    /// <summary>The handler's single target; an operator target without an ID is the owner.</summary>
    public static (TargetKind Kind, string Id) Target(EventHandlerRow h) => h switch
    {
        { TargetImsi: { } imsi } => (TargetKind.Imsi, imsi),
        { TargetSimId: { } simId } => (TargetKind.Sim, simId),
        { TargetGroupId: { } groupId } => (TargetKind.Group, groupId),
        _ => (TargetKind.Operator, h.TargetOperatorId ?? h.OperatorId),
    };

    public static RuleIgnore Ignore(HandlerIgnore ignore) => new(ignore.Imsi, ignore.Until);

    public static UnitState? State(HandlerUnitState? state) => state is null ? null : new UnitState(state.ReArmAt, state.Window);

    /// <summary>The counter's bytes (upload + download over all speed classes) in the bucket: its row plus the fold's overlay.</summary>
    public static async Task<long> CounterTotalAsync(SimlaneDb db, Usage.UsageOverlay overlay, CounterRef counter, long bucket, CancellationToken cancellationToken) =>
        (await CounterTotalsAsync(db, overlay, counter.Scope, counter.Period, bucket, [counter.ScopeId], cancellationToken)).GetValueOrDefault(counter.ScopeId);

    /// <summary>The bytes of many counters of one scope, period and bucket at once (absent counters are missing from the answer).</summary>
    /// <remarks>A SIM's total is the sum of its subscriptions' (decision S66).</remarks>
    public static async Task<Dictionary<string, long>> CounterTotalsAsync(
        SimlaneDb db, Usage.UsageOverlay overlay, UsageScope scope, UsagePeriod period, long bucket, IReadOnlyCollection<string> scopeIds, CancellationToken cancellationToken)
    {
        if (scope == UsageScope.Sim)
        {
            var simOf = await Usage.SimCounters.ImsisOfAsync(db, scopeIds, cancellationToken);
            var bySubscriber = await CounterTotalsAsync(db, overlay, UsageScope.Subscriber, period, bucket, simOf.Keys, cancellationToken);
            return bySubscriber.GroupBy(t => simOf[t.Key], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Value), StringComparer.Ordinal);
        }

        // The rows of the bucket: the one row of its period, or a subscriber month's days (decision S67).
        var ids = scopeIds.ToList();
        var stored = Usage.SubscriberMonths.Stored(scope, period);
        var end = UsageWindows.NextBucketStart(period, bucket);
        var (rows, extra) = await overlay.ReadAsync(
            db,
            () => db.UsageCounters.AsNoTracking()
                .Where(c => c.Scope == scope && c.Period == stored && c.BucketStart >= bucket && c.BucketStart < end && ids.Contains(c.ScopeId))
                .Select(c => new { c.ScopeId, c.BucketStart, c.SpeedClass, c.Through, Total = c.UploadBytes + c.DownloadBytes })
                .ToListAsync(cancellationToken),
            scope, ids, (k, _) => k.Period == stored && k.BucketStart >= bucket && k.BucketStart < end, cancellationToken);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            totals[row.ScopeId] = totals.GetValueOrDefault(row.ScopeId) + row.Total;
        }

        // An overlay part counts unless its row already holds it (a checkpoint wrote it: decision S70).
        var through = rows.ToDictionary(r => (r.ScopeId, r.BucketStart, r.SpeedClass), r => r.Through);
        foreach (var part in extra)
        {
            if (part.MissingFrom(through.GetValueOrDefault((part.Key.ScopeId, part.Key.BucketStart, part.Key.SpeedClass))))
            {
                totals[part.Key.ScopeId] = totals.GetValueOrDefault(part.Key.ScopeId) + part.Traffic.UploadBytes + part.Traffic.DownloadBytes;
            }
        }

        return totals;
    }
}
