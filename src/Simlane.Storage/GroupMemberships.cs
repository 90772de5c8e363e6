namespace Simlane.Storage;

/// <summary>
/// One stay of a SIM in a group (table <c>group_memberships</c>): from <see cref="FromTime"/> until
/// <see cref="ToTime"/> (null while the SIM is still in it). Written in the same save as the SIM's group change
/// (<see cref="Saving.GroupMembershipStep"/>); read by metering to count a usage record for the group the SIM was
/// in at the record's time (decisions.md S24), so the outbox is not history and can be pruned.
/// </summary>
public sealed class GroupMembership
{
    public long Id { get; set; }

    public required string OperatorId { get; set; }

    public required string SimId { get; set; }

    public required string GroupId { get; set; }

    /// <summary>When the SIM joined the group, epoch ms (its <c>GroupChangedTime</c>).</summary>
    public long FromTime { get; set; }

    /// <summary>When the SIM left the group, epoch ms; null while it is in it.</summary>
    public long? ToTime { get; set; }
}
