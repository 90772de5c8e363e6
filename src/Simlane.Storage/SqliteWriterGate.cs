using System.Collections.Concurrent;

namespace Simlane.Storage;

/// <summary>
/// Queues this process's busy writers of one SQLite file in memory, in order, instead of in SQLite's busy
/// handler (Microsoft.Data.Sqlite retries a locked <c>BEGIN IMMEDIATE</c> every 150 ms, so a writer that
/// keeps losing the race can wait for seconds). Usage ingest and the rule engine take it around their
/// write transactions; the engine asks with <c>priority</c> so that it waits for at most the transaction
/// in progress, not for every ingest batch queued behind it: evaluating rules the moment usage is recorded
/// is the point of the engine, and its transactions take milliseconds. Other writers (API calls) still
/// use SQLite's busy handler; they are short and rare.
/// </summary>
public sealed class SqliteWriterGate
{
    private static readonly ConcurrentDictionary<string, SqliteWriterGate> Gates = new(StringComparer.Ordinal);

    private readonly Lock sync = new();
    private readonly Queue<TaskCompletionSource> priority = new();
    private readonly Queue<TaskCompletionSource> normal = new();
    private bool held;

    /// <summary>The gate of the SQLite database behind <paramref name="connectionString"/>.</summary>
    public static SqliteWriterGate For(string connectionString) => Gates.GetOrAdd(connectionString, _ => new SqliteWriterGate());

    /// <summary>Waits for the gate; dispose the answer to release it. Priority waiters go before every normal one.</summary>
    public async Task<IDisposable> EnterAsync(bool isPriority, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (sync)
        {
            if (!held)
            {
                held = true;
                return new Releaser(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (isPriority ? priority : normal).Enqueue(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (sync)
            {
                if (!waiter.Task.IsCompletedSuccessfully)
                {
                    // Still queued: mark it abandoned; Release skips it.
                    waiter.TrySetCanceled(cancellationToken);
                    throw;
                }
            }

            // Handed the gate just as we gave up: pass it on.
            Release();
            throw;
        }

        return new Releaser(this);
    }

    private void Release()
    {
        lock (sync)
        {
            while (priority.TryDequeue(out var next) || normal.TryDequeue(out next))
            {
                if (next.TrySetResult())
                {
                    return; // still held, now by next
                }
            }

            held = false;
        }
    }

    private sealed class Releaser(SqliteWriterGate gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
