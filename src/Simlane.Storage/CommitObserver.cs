namespace Simlane.Storage;

/// <summary>What a save or a committed transaction changed that a background worker waits for.</summary>
[Flags]
public enum CommittedChanges
{
    None = 0,

    /// <summary>Timers were added, moved or removed (reported at the save, also inside a caller's transaction).</summary>
    Timers = 1,

    /// <summary>Domain events were committed.</summary>
    DomainEvents = 2,

    /// <summary>Action deliveries were added or changed, and committed.</summary>
    Deliveries = 4,

    /// <summary>Disconnect/CoA requests for a NAS (<see cref="NasRequest"/>) were staged, and committed.</summary>
    NasRequests = 8,

    /// <summary>Accepted usage records were appended to the journal (<see cref="UsageJournalBatch"/>), and committed.</summary>
    UsageJournal = 16,
}

/// <summary>
/// The one way Storage tells the server what a save committed (<see cref="SimlaneDb.CommitObserver"/>), so the
/// scheduler, the outbox consumer and the delivery worker wake at once instead of at their next poll. Code that
/// owns its own transaction calls <see cref="SimlaneDb.AfterCommit"/> after committing.
/// </summary>
public interface ICommitObserver
{
    void Committed(CommittedChanges changes);
}
