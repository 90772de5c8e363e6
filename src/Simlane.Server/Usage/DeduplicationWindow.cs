using System.Globalization;
using Microsoft.Extensions.Options;
using Simlane.Core.Errors;

namespace Simlane.Server.Usage;

/// <summary>
/// The <c>Simlane:Usage</c> section (docs/operations.md, "Usage records"): how long accepted usage record IDs are
/// remembered for de-duplication.
/// </summary>
public sealed class UsageOptions
{
    public const string Section = "Simlane:Usage";

    /// <summary>Most days the window may span (a year, leap day included).</summary>
    public const int MaxDeduplicationWindowDays = 366;

    /// <summary>
    /// Whole days, 1 to <see cref="MaxDeduplicationWindowDays"/>, default 7: a gateway record older than this (by its
    /// <c>unixtime</c> and the server clock) is refused as too old, and record IDs older than this are pruned.
    /// </summary>
    public int DeduplicationWindowDays { get; set; } = 7;

    /// <summary>Most seconds between two usage checkpoints (an hour: the journal kept and a restart's replay grow with it).</summary>
    public const int MaxCheckpointIntervalSeconds = 3600;

    /// <summary>
    /// Seconds, 1 to <see cref="MaxCheckpointIntervalSeconds"/>, default 120: the longest the counters folded in memory go unwritten to
    /// <c>usage_counters</c> (docs/operations.md, "Usage ingest: memory and checkpoints"). A checkpoint writes each counter a
    /// window touched once however many records it holds, so a window in which the fleet reports several times is cheaper per
    /// record (decision S71); the journal kept and a restart's replay grow with it.
    /// </summary>
    public int CheckpointIntervalSeconds { get; set; } = 120;

    /// <summary>Fewest and most counters the setting below allows.</summary>
    public const int MinCheckpointCounters = 10_000, MaxCheckpointCounters = 50_000_000;

    /// <summary>
    /// Counters held in memory (each scope's finest: a subscriber's five-minute buckets, a group's or operator's days) beyond which
    /// a checkpoint starts before its interval, default 4,000,000: bounds the server's memory for the counters, about 60 bytes
    /// each and up to two such sets while a checkpoint writes one.
    /// </summary>
    public int CheckpointCounters { get; set; } = 4_000_000;

    public void Validate()
    {
        if (CheckpointIntervalSeconds is < 1 or > MaxCheckpointIntervalSeconds)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(CheckpointIntervalSeconds)} must be a whole number of seconds between 1 and {MaxCheckpointIntervalSeconds}, "
                + $"not {CheckpointIntervalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (CheckpointCounters is < MinCheckpointCounters or > MaxCheckpointCounters)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(CheckpointCounters)} must be between {MinCheckpointCounters} and {MaxCheckpointCounters}, "
                + $"not {CheckpointCounters.ToString(CultureInfo.InvariantCulture)}");
        }

        if (DeduplicationWindowDays is < 1 or > MaxDeduplicationWindowDays)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(DeduplicationWindowDays)} must be a whole number of days between 1 and {MaxDeduplicationWindowDays}, "
                + $"not {DeduplicationWindowDays.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

/// <summary>
/// Bounded de-duplication (issue 14, docs/gateway.md "De-duplication window"). A gateway record whose time is older
/// than the window is refused, so its ID never needs to be remembered longer than the window; the pruner
/// (<see cref="UsageRecordPruner"/>) deletes IDs whose record time is older than the window plus
/// <see cref="PruneGraceSeconds"/>. The invariant: an ID is deleted only when every record with its time is already
/// refused, so a resent record can never be counted twice.
/// </summary>
public sealed class DeduplicationWindow(IOptions<UsageOptions> options)
{
    /// <summary>
    /// IDs are kept this much longer than the window. A request checks record times when it starts and inserts their IDs
    /// a moment later, and a real clock may step back (NTP); the grace keeps the invariant through both.
    /// </summary>
    public const long PruneGraceSeconds = 3600;

    public int Days => options.Value.DeduplicationWindowDays;

    public long Seconds => Days * 86_400L;

    /// <summary>The oldest record time accepted at <paramref name="nowSeconds"/>: exactly the window's edge is accepted.</summary>
    public long OldestAccepted(long nowSeconds) => nowSeconds - Seconds;

    /// <summary>Record IDs with a record time before this may be deleted at <paramref name="nowSeconds"/>.</summary>
    public long PruneBefore(long nowSeconds) => OldestAccepted(nowSeconds) - PruneGraceSeconds;

    /// <summary>Refuses (400 COM0004, naming <paramref name="field"/>) a record time older than the window.</summary>
    public void RequireInWindow(long unixtime, long nowSeconds, string field)
    {
        if (unixtime < OldestAccepted(nowSeconds))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: older than the de-duplication window of {Days} days");
        }
    }
}
