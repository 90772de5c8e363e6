using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Scheduling;

/// <summary>SIM expiry through the sandbox clock: every action, the protection rule, every 4xx.</summary>
public abstract class ExpiryTests(ServerFixture server)
{
    private static async Task<long> NowAsync(ApiClient op) =>
        (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();

    private static async Task AdvanceAsync(ApiClient op, long seconds) =>
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = seconds })).ShouldBe(HttpStatusCode.OK);

    private async Task<List<(string Type, string? Imsi, string? Old, string? New)>> EventsAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var rows = await db.DomainEvents.Where(e => e.SimId == simId).OrderBy(e => e.Id).ToListAsync();
        return rows.Select(e => (e.Type, e.Imsi, e.OldValue, e.NewValue)).ToList();
    }

    private async Task<bool> TimerExistsAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.Timers.AnyAsync(t => t.Key == TimerKinds.SimExpiryKey(simId));
    }

    [Theory]
    [InlineData("doNothing", "ready")]
    [InlineData("deleteSession", "ready")]
    [InlineData("deactivate", "inactive")]
    [InlineData("suspend", "suspended")]
    [InlineData(null, "ready")]
    public async Task Expiry_WhenTheClockPassesIt_AppliesTheAction(string? action, string expectedStatus)
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var expiry = await NowAsync(op) + 60_000;

        var set = (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = action })).ShouldBe(HttpStatusCode.OK);
        set.Json["expiryTime"]!.GetValue<long>().ShouldBe(expiry);
        set.Json["expiryAction"]?.GetValue<string>().ShouldBe(action);

        await AdvanceAsync(op, 59);
        (await op.GetAsync($"/v1/sims/{simId}")).Json["expiryTime"]!.GetValue<long>().ShouldBe(expiry);

        await AdvanceAsync(op, 1);
        var after = (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK);
        after.Str("status").ShouldBe(expectedStatus);
        after.Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
        after.Json.AsObject().ContainsKey("expiryAction").ShouldBeFalse();
        (await TimerExistsAsync(simId)).ShouldBeFalse();

        var events = await EventsAsync(simId);
        var expired = events.Where(e => e.Type == "Expired").ToList();
        expired.Count.ShouldBe(2, "one SIM-level and one per IMSI");
        expired.ShouldAllBe(e => e.New == (action ?? "doNothing"));
        events.Count(e => e.Type == "StatusChanged").ShouldBe(expectedStatus == "ready" ? 0 : 2);
    }

    [Fact]
    public async Task ExpiryTerminate_TerminatesEvenIfProtectionWasSwitchedBackOn()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        var expiry = await NowAsync(op) + 3_600_000;
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "terminate" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/disable_termination")).ShouldBe(HttpStatusCode.OK).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();

        await AdvanceAsync(op, 3600);

        (await op.GetAsync($"/v1/sims/{simId}")).Str("status").ShouldBe("terminated");
        var history = (await op.GetAsync($"/v1/sims/{simId}/statuses/history")).ShouldBe(HttpStatusCode.OK).Array;
        history[0]!["status"]!.GetValue<string>().ShouldBe("terminated");
        var events = await EventsAsync(simId);
        events.Where(e => e.Type == "StatusChanged" && e.Imsi == null).ShouldHaveSingleItem().New.ShouldBe("terminated");
    }

    [Fact]
    public async Task SetExpiry_TerminateWhileProtected_Answers400AndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var expiry = await NowAsync(op) + 60_000;
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "terminate" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0018");
        (await op.GetAsync($"/v1/sims/{simId}")).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
        (await TimerExistsAsync(simId)).ShouldBeFalse();
    }

    [Fact]
    public async Task SetExpiry_BadInput_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var now = await NowAsync(op);
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now - 1, expiryAction = "suspend" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0017");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now, expiryAction = "suspend" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0017");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryAction = "suspend" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 1000, expiryAction = "explode" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.SendRawAsync(HttpMethod.Post, $"/v1/sims/{simId}/set_expiry_time", "{\"expiryTime\":\"soon\"}")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.PostAsync("/v1/sims/8942310000000000000/set_expiry_time", new { expiryTime = now + 1000 })).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.GetAsync($"/v1/sims/{simId}")).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
    }

    [Fact]
    public async Task UnsetExpiry_CancelsTheTimer_AndAnswers404WhenNoneIsSet()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/unset_expiry_time")).ShouldBe(HttpStatusCode.NotFound, "SEM0015");

        var expiry = await NowAsync(op) + 60_000;
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "suspend" })).ShouldBe(HttpStatusCode.OK);
        (await TimerExistsAsync(simId)).ShouldBeTrue();
        (await op.PostAsync($"/v1/sims/{simId}/unset_expiry_time")).ShouldBe(HttpStatusCode.OK).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
        (await TimerExistsAsync(simId)).ShouldBeFalse();

        await AdvanceAsync(op, 120);
        (await op.GetAsync($"/v1/sims/{simId}")).Str("status").ShouldBe("ready");
        (await EventsAsync(simId)).ShouldNotContain(e => e.Type == "Expired");
    }

    [Fact]
    public async Task SetExpiry_Again_ReplacesTheOldTimer()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var now = await NowAsync(op);
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 60_000, expiryAction = "suspend" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 600_000, expiryAction = "deactivate" })).ShouldBe(HttpStatusCode.OK);

        await AdvanceAsync(op, 120);
        (await op.GetAsync($"/v1/sims/{simId}")).Str("status").ShouldBe("ready");

        await AdvanceAsync(op, 600);
        (await op.GetAsync($"/v1/sims/{simId}")).Str("status").ShouldBe("inactive");
        (await EventsAsync(simId)).Count(e => e.Type == "Expired").ShouldBe(2);
    }

    [Fact]
    public async Task Terminate_CancelsThePendingExpiry()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = await NowAsync(op) + 60_000, expiryAction = "suspend" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
        (await TimerExistsAsync(simId)).ShouldBeFalse();

        await AdvanceAsync(op, 120);
        (await EventsAsync(simId)).ShouldNotContain(e => e.Type == "Expired");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = await NowAsync(op) + 60_000 })).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
    }

    [Fact]
    public async Task SubscriberRoutes_EchoExpiryAndLegacyExpiredAt()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();
        var expiry = await NowAsync(op) + 60_000;
        var set = (await op.PostAsync($"/v1/subscribers/{imsi}/set_expiry_time", new { expiryTime = expiry, expiryAction = "deactivate" })).ShouldBe(HttpStatusCode.OK);
        set.Json["expiryTime"]!.GetValue<long>().ShouldBe(expiry);
        set.Json["expiredAt"]!.GetValue<long>().ShouldBe(expiry);
        set.Str("expiryAction").ShouldBe("deactivate");

        var unset = (await op.PostAsync($"/v1/subscribers/{imsi}/unset_expiry_time")).ShouldBe(HttpStatusCode.OK);
        unset.Json.AsObject().ContainsKey("expiredAt").ShouldBeFalse();
        (await op.PostAsync($"/v1/subscribers/{imsi}/unset_expiry_time")).ShouldBe(HttpStatusCode.NotFound, "SEM0015");
    }
}

public sealed class ExpiryTests_Sqlite(SqliteServer server) : ExpiryTests(server), IClassFixture<SqliteServer>;

public sealed class ExpiryTests_Postgres(PostgresServer server) : ExpiryTests(server), IClassFixture<PostgresServer>;
