using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

public class SqliteWriterGateTests
{
    private static SqliteWriterGate NewGate() => SqliteWriterGate.For($"Data Source=/tmp/gate-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task OneHolderAtATime_PriorityWaitersGoFirst_ThenNormalOnesInOrder()
    {
        var gate = NewGate();
        var order = new List<string>();
        var holder = await gate.EnterAsync(isPriority: false, CancellationToken.None);

        async Task Enter(string name, bool priority)
        {
            using var _ = await gate.EnterAsync(priority, CancellationToken.None);
            lock (order)
            {
                order.Add(name);
            }
        }

        var waiting = new[] { Enter("ingest-1", false), Enter("ingest-2", false), Enter("engine", true) };
        await Task.Delay(50);
        order.ShouldBeEmpty();

        holder.Dispose();
        await Task.WhenAll(waiting);
        order.ShouldBe(["engine", "ingest-1", "ingest-2"]);
    }

    [Fact]
    public async Task ACancelledWaiter_IsSkipped_AndTheGateStillPassesOn()
    {
        var gate = NewGate();
        var holder = await gate.EnterAsync(isPriority: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(isPriority: true, cancel.Token);
        var next = gate.EnterAsync(isPriority: false, CancellationToken.None);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(abandoned);

        holder.Dispose();
        using (await next)
        {
            next.IsCompletedSuccessfully.ShouldBeTrue();
        }

        // Released again: free for the next caller at once.
        using var again = await gate.EnterAsync(isPriority: false, CancellationToken.None);
        again.ShouldNotBeNull();
    }

    [Fact]
    public async Task DisposingTwice_ReleasesOnce()
    {
        var gate = NewGate();
        var first = await gate.EnterAsync(isPriority: false, CancellationToken.None);
        var second = gate.EnterAsync(isPriority: false, CancellationToken.None);
        first.Dispose();
        var holder = await second;
        first.Dispose();
        var third = gate.EnterAsync(isPriority: false, CancellationToken.None);
        await Task.Delay(50);
        third.IsCompleted.ShouldBeFalse();
        holder.Dispose();
        (await third).Dispose();
    }
}
