using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>What journal entries add to which counters: the fold's (and the overlay rebuild's) one rule.</summary>
internal static class CounterDeltas
{
    /// <summary>A subscriber's month is the sum of its days (<see cref="SubscriberMonths"/>, decision S67).</summary>
    private static readonly UsagePeriod[] SubscriberPeriods = [UsagePeriod.FiveMinutes, UsagePeriod.Day, UsagePeriod.AllTime];
    private static readonly UsagePeriod[] AggregatePeriods = [UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];

    /// <summary>
    /// The counter deltas of <paramref name="entries"/>, added to <paramref name="counters"/>: a record's group is the one its SIM
    /// was in at the record's own time (the SIM's group now, or from the membership history when the SIM changed group
    /// since); a SIM no longer registered counts with no group.
    /// </summary>
    public static async Task AddAsync(
        SimlaneDb db, ImsiDirectory directory, IReadOnlyList<UsageJournalEntry> entries, Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters)
    {
        var store = new UsageStore(db);
        var imsis = entries.Select(e => e.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var current = await directory.ResolveAsync(db, imsis, operatorId: null);
        var groupHistory = await GroupHistoryAsync(store, entries, current);
        foreach (var entry in entries)
        {
            var traffic = new TrafficTotals(entry.UploadBytes, entry.DownloadBytes, entry.UploadPackets, entry.DownloadPackets);
            var target = current.GetValueOrDefault(entry.Imsi);

            // The directory's strings where they are the same (the overlay keeps its keys: one copy per SIM, not per record).
            var imsi = target?.Imsi ?? entry.Imsi;
            var operatorId = target is not null && target.OperatorId == entry.OperatorId ? target.OperatorId : string.Intern(entry.OperatorId);
            var speedClass = string.IsInterned(entry.SpeedClass) ?? entry.SpeedClass;
            foreach (var period in SubscriberPeriods)
            {
                var bucket = UsageWindows.BucketStart(period, entry.Unixtime);
                // No Sim counter: a SIM's counters are the sums of its subscriptions' (SimCounters, decision S66).
                Add(counters, new CounterKey(UsageScope.Subscriber, imsi, period, bucket, speedClass), operatorId, traffic);
            }

            var groupId = GroupAt(entry, target, groupHistory);
            foreach (var period in AggregatePeriods)
            {
                var bucket = UsageWindows.BucketStart(period, entry.Unixtime);
                if (groupId is not null)
                {
                    Add(counters, new CounterKey(UsageScope.Group, groupId, period, bucket, speedClass), operatorId, traffic);
                }

                Add(counters, new CounterKey(UsageScope.Operator, operatorId, period, bucket, speedClass), operatorId, traffic);
            }
        }
    }

    private static void Add(Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters, CounterKey key, string operatorId, TrafficTotals traffic) =>
        counters[key] = counters.TryGetValue(key, out var existing) ? (operatorId, existing.Traffic + traffic) : (operatorId, traffic);

    /// <summary>
    /// The end of a record's second, epoch milliseconds: record times have one-second resolution, so a group
    /// change in the same second as a record (its milliseconds before this) counts as before the record.
    /// </summary>
    private static long SecondEndMs(long unixtime) => (unixtime + 1) * 1000;

    /// <summary>
    /// The group a SIM was in at the end of second <paramref name="entry"/>'s time: its current group, unless it changed
    /// group in a later second, in which case the group of its membership that began before the end of that second and
    /// ended after it (none: no group). Traffic stamped in the same second as a set_group or unset_group counts for the
    /// new group (or none).
    /// </summary>
    private static string? GroupAt(UsageJournalEntry entry, ImsiTarget? target, Dictionary<string, List<(long From, long? To, string GroupId)>> history)
    {
        if (target is null)
        {
            return null;
        }

        var end = SecondEndMs(entry.Unixtime);
        if (target.GroupChangedTime is not { } changed || changed < end)
        {
            return target.GroupId;
        }

        if (history.TryGetValue(target.SimId, out var stays))
        {
            foreach (var (from, to, groupId) in stays)
            {
                if (from < end && (to is null || to >= end))
                {
                    return groupId;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Group memberships (oldest first) of the few SIMs whose last change is in a later second than one of their
    /// records in this fold: usually none, so usually no query.
    /// </summary>
    private static async Task<Dictionary<string, List<(long From, long? To, string GroupId)>>> GroupHistoryAsync(
        UsageStore store, IReadOnlyList<UsageJournalEntry> entries, Dictionary<string, ImsiTarget> current)
    {
        var simIds = entries
            .Select(e => (Entry: e, Target: current.GetValueOrDefault(e.Imsi)))
            .Where(x => x.Target?.GroupChangedTime is { } changed && changed >= SecondEndMs(x.Entry.Unixtime))
            .Select(x => x.Target!.SimId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return simIds.Count == 0 ? [] : await store.GroupMembershipsAsync(simIds);
    }

}
