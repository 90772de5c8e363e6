namespace Simlane.Server.Infrastructure;

/// <summary>
/// A background loop that does a round of work, then sleeps on the injected clock until the delay the round
/// asked for has passed or <see cref="Wake"/> is called. <see cref="Gate"/> lets a caller that must see the
/// work finished (the sandbox clock) run a round itself without racing the loop.
/// </summary>
public abstract class SignalledWorker(TimeProvider clock) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, 1);
    private volatile bool sleeping;

    /// <summary>The injected clock the loop sleeps on.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>Held by every round, whether the loop or a caller runs it.</summary>
    protected SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>How long to wait after a round that threw.</summary>
    protected abstract TimeSpan FailureDelay { get; }

    /// <summary>
    /// Whether the loop has finished a round and now sleeps until its delay passes or it is woken: what a test
    /// waits for instead of sleeping for "the loop has run".
    /// </summary>
    public bool IsSleeping => sleeping;

    /// <summary>Asks the loop to run a round now (new work was committed).</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: nothing left to wake.
        }
    }

    public override void Dispose()
    {
        Gate.Dispose();
        wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Does one round of work and answers how long to sleep before the next one unless woken.</summary>
    protected abstract Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>Logs a round that threw; the loop goes on after <see cref="FailureDelay"/>.</summary>
    protected abstract void OnRoundFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                OnRoundFailed(e);
                delay = FailureDelay;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var sleep = Task.Delay(delay, clock, waiting.Token);
            var woken = wake.WaitAsync(waiting.Token);
            sleeping = true;
            await Task.WhenAny(sleep, woken);
            sleeping = false;
            await waiting.CancelAsync();
            await Task.WhenAll(sleep, woken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
