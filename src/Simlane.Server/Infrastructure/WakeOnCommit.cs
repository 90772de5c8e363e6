using Simlane.Server.Actions;
using Simlane.Server.Engine;
using Simlane.Server.Scheduling;
using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// The server's <see cref="ICommitObserver"/>: wakes the timer scheduler, the outbox consumer and the delivery
/// worker, the NAS request worker and the usage fold for what a save committed, so they act at once instead of at their next poll.
/// </summary>
public sealed class WakeOnCommit(TimerScheduler timers, OutboxConsumer outbox, ActionDeliveryWorker deliveries, Radius.NasRequestWorker nasRequests, Usage.UsageFold fold) : ICommitObserver
{
    public void Committed(CommittedChanges changes)
    {
        if (changes.HasFlag(CommittedChanges.Timers))
        {
            timers.Wake();
        }

        if (changes.HasFlag(CommittedChanges.DomainEvents))
        {
            outbox.Wake();
        }

        if (changes.HasFlag(CommittedChanges.Deliveries))
        {
            deliveries.Wake();
        }

        if (changes.HasFlag(CommittedChanges.NasRequests))
        {
            nasRequests.Wake();
        }

        if (changes.HasFlag(CommittedChanges.UsageJournal))
        {
            fold.Wake();
        }
    }
}
