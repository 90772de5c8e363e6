namespace Simlane.Server.Infrastructure;

/// <summary>
/// A <see cref="SignalledWorker"/> that drains durable work (action deliveries, NAS requests): a round claims a batch of
/// due items (the claim takes whatever lease or count the subclass needs), attempts each with at most
/// <c>parallelism</c> at a time, and claims again until a claim comes back empty; then the loop sleeps until the earliest
/// item becomes claimable, at most <c>idleDelay</c>, unless woken. <see cref="DrainAsync"/> runs the same drain under
/// <see cref="SignalledWorker.Gate"/> for a caller that must see the work done (the sandbox clock).
/// </summary>
public abstract class ClaimingWorker<TItem>(TimeProvider clock, int parallelism, TimeSpan idleDelay) : SignalledWorker(clock)
{
    /// <summary>After a round that threw, both delivery workers wait this long before the next.</summary>
    protected override TimeSpan FailureDelay => TimeSpan.FromSeconds(5);

    /// <summary>Attempts every item due now, once each, and answers how many attempts were made.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var attempted = 0;
            while (true)
            {
                var claimed = await ClaimAsync(cancellationToken);
                if (claimed.Count == 0)
                {
                    return attempted;
                }

                using var parallel = new SemaphoreSlim(parallelism);
                await Task.WhenAll(claimed.Select(async item =>
                {
                    await parallel.WaitAsync(cancellationToken);
                    try
                    {
                        await AttemptAsync(item, cancellationToken);
                    }
                    finally
                    {
                        parallel.Release();
                    }
                }));
                attempted += claimed.Count;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    protected sealed override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        return await NextClaimableAsync(cancellationToken) is { } due
            ? TimeSpan.FromMilliseconds(Math.Clamp(due - Clock.NowMs(), 0, (long)idleDelay.TotalMilliseconds))
            : idleDelay;
    }

    /// <summary>Claims a batch of the items due now (none: the drain is done); each claimed item is attempted once.</summary>
    protected abstract Task<List<TItem>> ClaimAsync(CancellationToken cancellationToken);

    /// <summary>Attempts one claimed item and records its outcome.</summary>
    protected abstract Task AttemptAsync(TItem item, CancellationToken cancellationToken);

    /// <summary>The earliest moment (Unix ms on the server's clock) an item becomes claimable; null when there is none.</summary>
    protected abstract Task<long?> NextClaimableAsync(CancellationToken cancellationToken);
}
