using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>What journal entries add to which counters: the fold's (and the overlay rebuild's) one rule.</summary>
internal static class CounterDeltas
{
    /// <summary>
    /// The period the fold adds up for a scope: its finest (a subscriber's five minutes, a group's or operator's day). The
    /// coarser counters the table holds for the scope (<see cref="Derived"/>) are sums of these, so the overlay keeps only these
    /// and adds the others up when it is read (decision S71): a subscriber's day and all time are the sums of its five-minute
    /// buckets (a five-minute bucket lies in one UTC day), a group's or operator's month and all time the sums of its days.
    /// A subscriber's month is not a counter at all (the sum of its days, <see cref="SubscriberMonths"/>, decision S67), nor is a
    /// SIM's (the sums of its subscriptions', <see cref="SimCounters"/>, decision S66).
    /// </summary>
    public static UsagePeriod Finest(UsageScope scope) => scope == UsageScope.Subscriber ? UsagePeriod.FiveMinutes : UsagePeriod.Day;

    private static readonly UsagePeriod[] SubscriberDerived = [UsagePeriod.Day, UsagePeriod.AllTime];
    private static readonly UsagePeriod[] AggregateDerived = [UsagePeriod.Month, UsagePeriod.AllTime];

    /// <summary>The periods of <paramref name="scope"/>'s counters that are sums of its <see cref="Finest"/> ones.</summary>
    public static UsagePeriod[] Derived(UsageScope scope) => scope == UsageScope.Subscriber ? SubscriberDerived : AggregateDerived;

    /// <summary>
    /// The counter deltas of <paramref name="entries"/> in each scope's <see cref="Finest"/> period, added to <paramref name="counters"/>: a record's group is the one its SIM
    /// was in at the record's own time (the SIM's group now, or from the membership history when the SIM changed group
    /// since); a SIM no longer registered counts with no group.
    /// </summary>
    public static async Task AddAsync(
        SimlaneDb db, ImsiDirectory directory, IReadOnlyList<UsageJournalEntry> entries, Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters)
    {
        var imsis = entries.Select(e => e.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var current = await directory.ResolveAsync(db, imsis, operatorId: null);

        // Each entry's SIM, looked up once; and the SIMs whose last group change is in a later second than one of their records in this
        // fold (usually none, so usually no query): their group memberships, oldest first.
        var targets = new ImsiTarget?[entries.Count];
        HashSet<string>? changedSince = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var target = targets[i] = current.GetValueOrDefault(entries[i].Imsi);
            if (target?.GroupChangedTime is { } changed && changed >= SecondEndMs(entries[i].Unixtime))
            {
                (changedSince ??= new HashSet<string>(StringComparer.Ordinal)).Add(target.SimId);
            }
        }

        var groupHistory = changedSince is null ? [] : await new UsageStore(db).GroupMembershipsAsync([.. changedSince]);
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, target) = (entries[i], targets[i]);
            var traffic = new TrafficTotals(entry.UploadBytes, entry.DownloadBytes, entry.UploadPackets, entry.DownloadPackets);

            // The directory's strings where they are the same (the overlay keeps its keys: one copy per SIM, not per record).
            var imsi = target?.Imsi ?? entry.Imsi;
            var operatorId = target is not null && target.OperatorId == entry.OperatorId ? target.OperatorId : string.Intern(entry.OperatorId);
            var speedClass = Simlane.Core.Sims.SpeedClasses.Canonical(entry.SpeedClass);

            // No Sim counter: a SIM's counters are the sums of its subscriptions' (SimCounters, decision S66).
            Add(counters, Key(UsageScope.Subscriber, imsi, entry.Unixtime, speedClass), operatorId, traffic);
            if (GroupAt(entry, target, groupHistory) is { } groupId)
            {
                Add(counters, Key(UsageScope.Group, groupId, entry.Unixtime, speedClass), operatorId, traffic);
            }

            Add(counters, Key(UsageScope.Operator, operatorId, entry.Unixtime, speedClass), operatorId, traffic);
        }
    }

    private static CounterKey Key(UsageScope scope, string scopeId, long unixtime, string speedClass)
    {
        var period = Finest(scope);
        return new CounterKey(scope, scopeId, period, UsageWindows.BucketStart(period, unixtime), speedClass);
    }

    private static void Add(Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters, CounterKey key, string operatorId, TrafficTotals traffic)
    {
        ref var counter = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counters, key, out var exists);
        counter = (operatorId, exists ? counter.Traffic + traffic : traffic);
    }

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
}
