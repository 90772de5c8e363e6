using System.Net;
using Simlane.Core.Events;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>The domain_events outbox: one SIM-level row (imsi null) plus one per IMSI per change, with old and new values.</summary>
public abstract class DomainEventsTests(ServerFixture server)
{
    [Fact]
    public async Task StatusSpeedClassAndImeiLockChanges_WriteSimAndImsiRowsWithOldAndNewValues()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var baseline = (await server.EventsAsync(sim.SimId)).Count;

        server.Clock.Advance(TimeSpan.FromSeconds(5));
        (await sim.PostAsync("sims", "activate")).ShouldBe(HttpStatusCode.OK);
        var activatedAt = server.NowMs();
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        (await sim.PostAsync("subscribers", "update_speed_class", new { speedClass = "s1.slow" })).ShouldBe(HttpStatusCode.OK);
        var slowedAt = server.NowMs();
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        (await sim.PostAsync("sims", "set_imei_lock", new { imei = "123456789012345|ANONYMOUS" })).ShouldBe(HttpStatusCode.OK);
        var lockedAt = server.NowMs();

        var events = (await server.EventsAsync(sim.SimId)).Skip(baseline).ToList();
        events.Count.ShouldBe(6);
        ShouldBePair(events[0..2], sim, op.OperatorId!, DomainEventTypes.StatusChanged, "ready", "active", activatedAt);
        ShouldBePair(events[2..4], sim, op.OperatorId!, DomainEventTypes.SpeedClassChanged, "s1.standard", "s1.slow", slowedAt);
        ShouldBePair(events[4..6], sim, op.OperatorId!, DomainEventTypes.ImeiLockChanged, null, "123456789012345|ANONYMOUS", lockedAt);
        events.Select(e => e.Id).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task RefusedAndSameValueChanges_WriteNoEvent()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("suspended");
        var before = (await server.EventsAsync(sim.SimId)).Count;

        (await sim.PostAsync("sims", "set_to_standby")).ShouldBe(HttpStatusCode.BadRequest, "SEM0005");
        (await sim.PostAsync("sims", "terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0004");
        (await sim.PostAsync("subscribers", "update_speed_class", new { speedClass = "u1.slow" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0007");
        (await sim.PostAsync("sims", "set_imei_lock", new { imei = "12" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0008");
        (await sim.PostAsync("sims", "set_imei_lock")).ShouldBe(HttpStatusCode.BadRequest, "SEM0009");
        (await sim.PostAsync("sims", "suspend")).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "update_speed_class", new { speedClass = "s1.standard" })).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "unset_imei_lock")).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "disable_termination")).ShouldBe(HttpStatusCode.OK);

        (await server.EventsAsync(sim.SimId)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task Terminate_OnTerminatedSim_WritesNoEvent()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("terminated");
        var events = await server.EventsAsync(sim.SimId);
        events.Where(e => e.Type == DomainEventTypes.StatusChanged).Select(e => e.NewValue).Distinct().ShouldBe(["terminated"]);

        (await sim.PostAsync("subscribers", "terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await sim.PostAsync("sims", "update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await server.EventsAsync(sim.SimId)).Count.ShouldBe(events.Count);
    }

    private static void ShouldBePair(List<DomainEvent> pair, TestSim sim, string operatorId, string type, string? oldValue, string? newValue, long at)
    {
        pair.Select(e => e.Imsi).OrderBy(i => i, StringComparer.Ordinal).ShouldBe([null, sim.Imsi]);
        foreach (var e in pair)
        {
            e.Type.ShouldBe(type);
            e.SimId.ShouldBe(sim.SimId);
            e.OperatorId.ShouldBe(operatorId);
            e.OldValue.ShouldBe(oldValue);
            e.NewValue.ShouldBe(newValue);
            e.OccurredTime.ShouldBe(at);
        }
    }
}

public sealed class DomainEventsTests_Sqlite(SqliteServer server) : DomainEventsTests(server), IClassFixture<SqliteServer>;

public sealed class DomainEventsTests_Postgres(PostgresServer server) : DomainEventsTests(server), IClassFixture<PostgresServer>;
