using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// A batch of usage records on its way to the journal: what the caller asked, and what <see cref="Metering"/> prepared before the
/// writer (the SIMs its IMSIs resolved to, as of <see cref="AsOf"/>; the records that count; their journal rows, encoded).
/// </summary>
internal sealed record PreparedIngest(
    IReadOnlyList<MeterInput> Inputs, string? OperatorId, bool RejectDuplicates, ErrorCode? DuplicateError, bool SharedIdsAreParts, string? BatchId, long Now)
{
    public Dictionary<string, ImsiTarget> Targets { get; private set; } = [];

    public DirectoryVersion AsOf { get; private set; }

    /// <summary>The inputs whose record IDs are inserted: the first of each record ID unless <see cref="SharedIdsAreParts"/>; all with a batch ID.</summary>
    public IReadOnlyList<MeterInput> Counted { get; private set; } = [];

    /// <summary>Inputs dropped as repeats of an earlier one in the batch.</summary>
    public int Repeats { get; private set; }

    /// <summary>Distinct (operator, record ID) keys among <see cref="Counted"/>.</summary>
    public int RecordIds { get; private set; }

    /// <summary>The journal rows of every counted input (all new): what is appended unless some were duplicates.</summary>
    public List<UsageJournalBatch> Rows { get; private set; } = [];

    /// <summary>Takes the resolution <paramref name="targets"/> (as of <paramref name="asOf"/>) and prepares what follows from it.</summary>
    public void Resolved(Dictionary<string, ImsiTarget> targets, DirectoryVersion asOf)
    {
        Targets = targets;
        AsOf = asOf;
        Counted = BatchId is not null || SharedIdsAreParts ? Inputs : Inputs.DistinctBy(i => Metering.Key(i, targets)).ToList();
        Repeats = Inputs.Count - Counted.Count;
        RecordIds = BatchId is not null ? 1 : SharedIdsAreParts ? Counted.Select(i => Metering.Key(i, targets)).Distinct().Count() : Counted.Count;
        Rows = UsageStore.JournalRows(Metering.Entries(Counted, targets, Now, _ => true));
    }
}

/// <summary>
/// Group commit for usage ingest (issue 14, item 1; decision S72): the batches that arrive while a commit runs share the next one.
/// One loop takes every prepared batch queued, enters the writer (SQLite's <see cref="SimlaneDb.EnterWriterGateAsync"/>; on
/// PostgreSQL the journal's append lock), writes them in one transaction (<see cref="Metering.WriteGroupAsync"/>), commits once,
/// then answers each caller: with its result, or with the error that refused it alone. A failed commit fails the whole group, and
/// nothing of it was written. Batches are prepared (IMSIs resolved, journal rows encoded) by their callers beside each other, so the
/// writer holds only what must be serial: de-duplication keys, the append and the commit.
/// </summary>
public sealed partial class IngestCommitter(IServiceScopeFactory scopes, UsageFold fold, ILogger<IngestCommitter> logger) : IAsyncDisposable
{
    private readonly Channel<(PreparedIngest Batch, TaskCompletionSource<MeterResult> Done)> queue =
        Channel.CreateUnbounded<(PreparedIngest, TaskCompletionSource<MeterResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock sync = new();
    private Task? loop;

    /// <summary>Queues <paramref name="batch"/> for the next group and answers once the group committed (or refused the batch).</summary>
    internal Task<MeterResult> CommitAsync(PreparedIngest batch)
    {
        var done = new TaskCompletionSource<MeterResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (sync)
        {
            loop ??= Task.Run(RunAsync);
        }

        return queue.Writer.TryWrite((batch, done))
            ? done.Task
            : Task.FromException<MeterResult>(new InvalidOperationException("usage ingest has stopped (the server is shutting down)"));
    }

    private async Task RunAsync()
    {
        var group = new List<(PreparedIngest Batch, TaskCompletionSource<MeterResult> Done)>();
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (queue.Reader.TryRead(out var item))
            {
                group.Add(item);
            }

#pragma warning disable CA1031 // a failed group fails its batches (their callers answer), never the loop
            try
            {
                var outcomes = await CommitGroupAsync(group.ConvertAll(g => g.Batch));
                for (var i = 0; i < group.Count; i++)
                {
                    _ = outcomes[i] is MeterResult result ? group[i].Done.TrySetResult(result) : group[i].Done.TrySetException((Exception)outcomes[i]);
                }
            }
            catch (Exception e)
            {
                group.ForEach(g => g.Done.TrySetException(e));
            }
#pragma warning restore CA1031
        }
    }

    private async Task<object[]> CommitGroupAsync(List<PreparedIngest> group)
    {
        var queued = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var metering = scope.ServiceProvider.GetRequiredService<Metering>();
        using var gate = await db.EnterWriterGateAsync(priority: false, CancellationToken.None);
        var entered = System.Diagnostics.Stopwatch.GetTimestamp();
        var strategy = db.Database.CreateExecutionStrategy();
        var (outcomes, appended) = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var written = await metering.WriteGroupAsync(group);
            await transaction.CommitAsync();
            return written;
        });
        fold.Appended(appended);
        db.AfterCommit();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var waitMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(queued, entered).TotalMilliseconds;
            var writeMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(entered).TotalMilliseconds;
            LogCommitted(logger, group.Count, appended, waitMs, writeMs);
        }

        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Usage ingest: {Batches} batches, {Records} records appended in one commit, {WaitMs} ms waiting for the writer, {Ms} ms writing")]
    private static partial void LogCommitted(ILogger logger, int batches, int records, long waitMs, long ms);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        Task? running;
        lock (sync)
        {
            running = loop;
        }

        if (running is not null)
        {
            await running;
        }
    }
}
