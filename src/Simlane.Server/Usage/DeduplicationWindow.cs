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

    public void Validate()
    {
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
