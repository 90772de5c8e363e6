using System.Threading.Channels;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// Group commit for the network doors (RADIUS accounting, Diameter credit control): items submitted while a batch commits
/// are committed together by one loop, in one transaction of <c>commit</c>, and each submitter is answered only after its
/// batch committed. If a batch of several fails, its items are committed again one by one, so one bad item does not fail
/// the others; a single item's failure is its submitter's exception.
/// </summary>
/// <typeparam name="TItem">One request.</typeparam>
/// <typeparam name="TResult">What <c>commit</c> answers per item, in the batch's order.</typeparam>
public sealed class BatchCommitter<TItem, TResult> : IAsyncDisposable
{
    private readonly int maxBatch;
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit;
    private readonly Action<int, Exception> batchFailed;
    private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> loop;

    /// <param name="maxBatch">Most items committed in one transaction.</param>
    /// <param name="commit">Commits a batch; answers one result per item, in order.</param>
    /// <param name="batchFailed">Told (to log) when a batch of several failed and is retried one by one.</param>
    public BatchCommitter(int maxBatch, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit, Action<int, Exception> batchFailed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.maxBatch = maxBatch;
        this.commit = commit;
        this.batchFailed = batchFailed;
        loop = new Lazy<Task>(() => Task.Run(RunAsync));
    }

    private sealed record Work(TItem Item)
    {
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Queues <paramref name="item"/> for the next batch; completes with its result when its batch committed.</summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        _ = loop.Value;
        var work = new Work(item);
        if (!queue.Writer.TryWrite(work))
        {
            throw new InvalidOperationException("The commit queue is stopped");
        }

        return work.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<Work>(maxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            try
            {
                var results = await commit(batch.ConvertAll(w => w.Item));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
#pragma warning disable CA1031 // One bad item must not fail the others: retry them one by one.
            catch (Exception e) when (batch.Count > 1)
            {
                batchFailed(batch.Count, e);
                foreach (var work in batch)
                {
                    try
                    {
                        work.Done.TrySetResult((await commit([work.Item]))[0]);
                    }
                    catch (Exception single)
                    {
                        work.Done.TrySetException(single);
                    }
                }
            }
            catch (Exception e)
            {
                batch.ForEach(w => w.Done.TrySetException(e));
            }
#pragma warning restore CA1031
        }
    }

    /// <summary>Stops taking items and waits for the ones queued to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (loop.IsValueCreated)
        {
            await loop.Value;
        }
    }
}
