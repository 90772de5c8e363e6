using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;
using Simlane.Storage.Saving;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// Each named side effect of <c>SimlaneDb.SaveChangesAsync</c> (<see cref="SaveSteps.InOrder"/>), one test per
/// step, run against the real database of each provider through a plain context (no HTTP in between).
/// </summary>
public abstract class SaveStepsTests(ServerFixture server)
{
    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private long Now => server.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<string> NewSimAsync() => (await (await server.NewOperatorAsync()).CreateRegisteredSimAsync()).Str("simId");

    private static Task<Sim> LoadAsync(SimlaneDb db, string simId) =>
        db.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).SingleAsync(s => s.SimId == simId);

    [Fact]
    public void Steps_RunInTheirDocumentedOrder_EachWithAName()
    {
        SaveSteps.InOrder.Select(s => s.Name).ShouldBe(
            ["HandlerCacheStamp", "ExpiryTimer", "SessionEnd", "DynamicAuthorization", "GroupMembership", "Version", "SimEventsAndHistory", "CommitNotification"]);
    }

    [Fact]
    public async Task HandlerCacheStamp_AHandlerChange_MovesTheStampInTheSameSave()
    {
        await using var db = Db();
        var before = await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.HandlersStamp).Select(c => (long?)c.Position).SingleOrDefaultAsync() ?? 0;
        db.EventHandlers.Add(new EventHandlerRow
        {
            HandlerId = Guid.NewGuid().ToString("D"), OperatorId = "OP-STEPS", Name = "h", Status = "inactive",
            RuleType = "SubscriberFirstTrafficRule", RuleProperties = "{}", Actions = "[]", CreatedTime = Now, UpdatedTime = Now,
        });
        await db.SaveChangesAsync();

        var after = await db.EngineCursors.AsNoTracking().SingleAsync(c => c.Name == EngineCursors.HandlersStamp);
        after.Position.ShouldBeGreaterThan(before);
        after.UpdatedTime.ShouldBe(Now);
    }

    [Fact]
    public async Task ExpiryTimer_FollowsTheSimsExpiryTime_AddedMovedAndRemoved()
    {
        var simId = await NewSimAsync();
        await using var db = Db();
        var sim = await LoadAsync(db, simId);
        var key = TimerKinds.SimExpiryKey(simId);

        sim.SetExpiry(Now + 3_600_000, null, Now);
        await db.SaveChangesAsync();
        (await db.Timers.AsNoTracking().SingleAsync(t => t.Key == key)).DueTime.ShouldBe(Now + 3_600_000);

        sim.SetExpiry(Now + 7_200_000, null, Now);
        await db.SaveChangesAsync();
        (await db.Timers.AsNoTracking().SingleAsync(t => t.Key == key)).DueTime.ShouldBe(Now + 7_200_000);

        sim.UnsetExpiry(Now);
        await db.SaveChangesAsync();
        (await db.Timers.AsNoTracking().AnyAsync(t => t.Key == key)).ShouldBeFalse();
    }

    [Fact]
    public async Task SessionEnd_AStatusThatForbidsData_EndsTheCurrentSessionInTheSameSave()
    {
        var simId = await NewSimAsync();
        await using var db = Db();
        var sim = await LoadAsync(db, simId);
        var session = SessionLedger.Open(db, sim, sim.Primary.Imsi, null, null, null, null, Now);
        await db.SaveChangesAsync();

        sim.ChangeStatus(SimStatus.Inactive, Now).ShouldBeTrue();
        await db.SaveChangesAsync();

        (await db.Sessions.AsNoTracking().SingleAsync(s => s.SessionId == session.SessionId)).DeletedTime.ShouldBe(Now);
        (await db.DomainEvents.AsNoTracking().AnyAsync(e => e.SimId == simId && e.Type == DomainEventTypes.SessionDeleted)).ShouldBeTrue();
    }

    [Fact]
    public async Task DynamicAuthorization_ARadiusSessionOwesACoAForASpeedChange_AndADisconnectThatSupersedesIt_InTheSameSaves()
    {
        var simId = await NewSimAsync();
        await using var db = Db();
        var sim = await LoadAsync(db, simId);
        sim.ChangeStatus(SimStatus.Active, Now).ShouldBeTrue();
        var session = SessionLedger.Open(db, sim, sim.Primary.Imsi, null, null, "10.0.0.7", null, Now);
        session.NasAddress = "192.0.2.1";
        session.AcctSessionId = "steps-1";
        await db.SaveChangesAsync();

        sim.UpdateSpeedClass("s1.fast", Now + 1_000);
        await db.SaveChangesAsync();
        var coa = await db.NasRequests.AsNoTracking().SingleAsync(r => r.SimId == simId);
        (coa.Kind, coa.SpeedClass, coa.State, coa.CreatedTime, coa.NextAttemptTime, coa.Deadline).ShouldBe(
            (NasRequestKinds.CoA, "s1.fast", NasRequestStates.Pending, Now + 1_000, Now + 1_000, Now + 1_000 + 3_600_000));
        (coa.SessionId, coa.NasAddress, coa.AcctSessionId, coa.UserName, coa.FramedIpAddress).ShouldBe((session.SessionId, "192.0.2.1", "steps-1", sim.Primary.Imsi, "10.0.0.7"));
        (await db.SessionEventRows.AsNoTracking().Where(e => e.SessionId == session.SessionId).Select(e => new { e.Event, e.Time }).ToListAsync())
            .ShouldContain(e => e.Event == SessionEvents.Modified && e.Time == Now + 1_000);

        sim.ChangeStatus(SimStatus.Suspended, Now + 2_000).ShouldBeTrue();
        await db.SaveChangesAsync();
        var requests = await db.NasRequests.AsNoTracking().Where(r => r.SimId == simId).OrderBy(r => r.Id).ToListAsync();
        requests.Select(r => (r.Kind, r.State)).ShouldBe([(NasRequestKinds.CoA, NasRequestStates.Superseded), (NasRequestKinds.Disconnect, NasRequestStates.Pending)]);
        requests[0].CompletedTime.ShouldBe(Now + 2_000);
    }

    [Fact]
    public async Task GroupMembership_EachGroupChange_ClosesTheOpenStayAndOpensTheNext()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var (groupA, groupB) = (await op.CreateGroupAsync(), await op.CreateGroupAsync());
        await using var db = Db();
        var sim = await LoadAsync(db, simId);

        sim.SetGroup(groupA, Now + 1_000);
        await db.SaveChangesAsync();
        sim.SetGroup(groupB, Now + 2_000);
        await db.SaveChangesAsync();
        sim.UnsetGroup(Now + 3_000).ShouldBeTrue();
        await db.SaveChangesAsync();
        sim.SetGroup(groupA, Now + 4_000);
        await db.SaveChangesAsync();

        var stays = await db.GroupMemberships.AsNoTracking().Where(m => m.SimId == simId).OrderBy(m => m.FromTime).ToListAsync();
        stays.Select(m => (m.GroupId, m.FromTime, m.ToTime)).ShouldBe(
            [(groupA, Now + 1_000, (long?)(Now + 2_000)), (groupB, Now + 2_000, Now + 3_000), (groupA, Now + 4_000, null)]);
        stays.ShouldAllBe(m => m.OperatorId == op.OperatorId);
    }

    [Fact]
    public async Task Version_ChangedSimsAndGroups_AreBumpedOncePerSave()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var groupId = await op.CreateGroupAsync();
        await using var db = Db();
        var sim = await LoadAsync(db, simId);
        var group = await db.Groups.SingleAsync(g => g.GroupId == groupId);
        var (simVersion, groupVersion) = (sim.Version, group.Version);

        sim.UpdateSpeedClass("s1.fast", Now);
        group.LastModifiedTime = Now + 1;
        await db.SaveChangesAsync();

        (await db.Sims.AsNoTracking().SingleAsync(s => s.SimId == simId)).Version.ShouldBe(simVersion + 1);
        (await db.Groups.AsNoTracking().SingleAsync(g => g.GroupId == groupId)).Version.ShouldBe(groupVersion + 1);
    }

    [Fact]
    public async Task SimEventsAndHistory_PendingEventsAndHistory_AreWrittenWithTheChange_AndCleared()
    {
        var simId = await NewSimAsync();
        await using var db = Db();
        var sim = await LoadAsync(db, simId);
        var historyBefore = await db.StatusHistory.CountAsync(h => h.SimId == simId);

        sim.UpdateSpeedClass("s1.fast", Now);
        var raised = sim.PendingEvents.Count;
        raised.ShouldBeGreaterThan(0);
        await db.SaveChangesAsync();

        sim.PendingEvents.ShouldBeEmpty();
        sim.PendingHistory.ShouldBeEmpty();
        (await db.DomainEvents.AsNoTracking().CountAsync(e => e.SimId == simId && e.Type == DomainEventTypes.SpeedClassChanged)).ShouldBe(raised);
        (await db.StatusHistory.CountAsync(h => h.SimId == simId)).ShouldBe(historyBefore + 1);
    }

    [Fact]
    public async Task CommitNotification_TimersAtTheSave_EventsOnlyOnceTheCallersTransactionCommits()
    {
        var simId = await NewSimAsync();
        await using var db = Db();
        var observer = new Recorder();
        db.CommitObserver = observer;
        var sim = await LoadAsync(db, simId);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            sim.SetExpiry(Now + 3_600_000, null, Now);
            sim.UpdateSpeedClass("s1.fast", Now);
            await db.SaveChangesAsync();
            observer.Seen.ShouldBe([CommittedChanges.Timers]);
            await transaction.CommitAsync();
        }

        db.AfterCommit();
        observer.Seen.ShouldBe([CommittedChanges.Timers, CommittedChanges.DomainEvents]);

        sim.UpdateSpeedClass("s1.standard", Now);
        await db.SaveChangesAsync();
        observer.Seen.Count.ShouldBe(3);
        observer.Seen[^1].ShouldBe(CommittedChanges.DomainEvents);
    }

    private sealed class Recorder : ICommitObserver
    {
        public List<CommittedChanges> Seen { get; } = [];

        public void Committed(CommittedChanges changes) => Seen.Add(changes);
    }
}

public sealed class SaveStepsTests_Sqlite(SqliteServer server) : SaveStepsTests(server), IClassFixture<SqliteServer>;

public sealed class SaveStepsTests_Postgres(PostgresServer server) : SaveStepsTests(server), IClassFixture<PostgresServer>;
