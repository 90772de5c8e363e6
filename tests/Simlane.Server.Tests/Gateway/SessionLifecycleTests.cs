using System.Net;
using Simlane.Server.Tests.Infrastructure;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Gateway;

/// <summary>
/// Sessions from the operator's side: changes that end them, delete_session, events/sessions paging,
/// set_imei_lock from the session, the query filter.
/// </summary>
public abstract class SessionLifecycleTests(ServerFixture server)
{
    private async Task<(ApiClient Op, string SimId, string Imsi, string SessionId)> OnlineSimAsync()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var sessionId = await server.Gateway().AcceptedSessionAsync(sim.PrimaryImsi());
        return (op, sim.Str("simId"), sim.PrimaryImsi(), sessionId);
    }

    [Theory]
    [InlineData("deactivate")]
    [InlineData("suspend")]
    [InlineData("set_to_standby")]
    [InlineData("terminate")]
    public async Task StatusChange_ThatForbidsData_EndsTheSession(string action)
    {
        var (op, simId, _, sessionId) = await OnlineSimAsync();
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);

        var changed = (await op.PostAsync($"/v1/sims/{simId}/{action}")).ShouldBe(HttpStatusCode.OK);

        changed.Online().ShouldBeFalse();
        changed.Json["previousSession"]!["sessionId"]!.GetValue<string>().ShouldBe(sessionId);
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
        (await server.DomainEventsAsync(simId)).Count(e => e.Type == "SessionDeleted").ShouldBe(2);
    }

    [Fact]
    public async Task StatusChange_ThatAllowsData_KeepsTheSession()
    {
        var (op, simId, _, _) = await OnlineSimAsync();
        (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK).Online().ShouldBeTrue();
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK).Online().ShouldBeTrue();
        (await op.SessionEventsAsync(simId)).ShouldBe(["Created"]);
    }

    [Theory]
    [InlineData("deleteSession", "active", false)]
    [InlineData("deactivate", "inactive", false)]
    [InlineData("suspend", "suspended", false)]
    [InlineData("doNothing", "active", true)]
    public async Task Expiry_EndsTheSessionUnlessDoNothing(string action, string status, bool online)
    {
        var (op, simId, _, _) = await OnlineSimAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 60_000, expiryAction = action })).ShouldBe(HttpStatusCode.OK);

        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 60 })).ShouldBe(HttpStatusCode.OK);

        var after = await op.GetSimAsync(simId);
        after.Str("status").ShouldBe(status);
        after.Online().ShouldBe(online);
        (await op.SessionEventsAsync(simId)).First().ShouldBe(online ? "Created" : "Deleted");
    }

    [Fact]
    public async Task ExpiryTerminate_EndsTheSession()
    {
        var (op, simId, _, _) = await OnlineSimAsync();
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 60_000, expiryAction = "terminate" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 60 })).ShouldBe(HttpStatusCode.OK);

        var after = await op.GetSimAsync(simId);
        after.Str("status").ShouldBe("terminated");
        after.Online().ShouldBeFalse();
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
    }

    [Fact]
    public async Task SetImeiLock_TheSessionDoesNotSatisfy_EndsIt_OneItSatisfies_KeepsIt()
    {
        var (op, simId, _, _) = await OnlineSimAsync();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei1 + "|ANONYMOUS" })).ShouldBe(HttpStatusCode.OK).Online().ShouldBeTrue();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei2 })).ShouldBe(HttpStatusCode.OK).Online().ShouldBeFalse();
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
    }

    [Theory]
    [InlineData("sims")]
    [InlineData("subscribers")]
    public async Task SetImeiLock_WithoutImeiWhileOnline_LocksTheSessionImei(string route)
    {
        var (op, simId, imsi, _) = await OnlineSimAsync();
        var id = route == "sims" ? simId : imsi;
        var locked = (await op.PostAsync($"/v1/{route}/{id}/set_imei_lock", new { })).ShouldBe(HttpStatusCode.OK);
        locked.Json["imeiLock"]!["imei"]!.GetValue<string>().ShouldBe(Imei1);
        locked.Online().ShouldBeTrue();

        // Offline: still 400.
        (await op.PostAsync($"/v1/{route}/{id}/delete_session")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/{route}/{id}/set_imei_lock", new { })).ShouldBe(HttpStatusCode.BadRequest, "SEM0009");
    }

    [Fact]
    public async Task SetImeiLock_WithoutImei_SessionWithoutImei_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        await server.Gateway().AcceptedSessionAsync(sim.PrimaryImsi(), null);
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_imei_lock", new { })).ShouldBe(HttpStatusCode.BadRequest, "SEM0009");
    }

    [Fact]
    public async Task DeleteSimSession_OnlineEndsIt_OfflineAnswers400()
    {
        var (op, simId, _, sessionId) = await OnlineSimAsync();

        var answer = (await op.PostAsync($"/v1/sims/{simId}/delete_session")).ShouldBe(HttpStatusCode.OK);
        answer.Str("simId").ShouldBe(simId);
        answer.Online().ShouldBeFalse();
        answer.Json["previousSession"]!["sessionId"]!.GetValue<string>().ShouldBe(sessionId);
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);

        (await op.PostAsync($"/v1/sims/{simId}/delete_session")).ShouldBe(HttpStatusCode.BadRequest, "SEM0016");
        (await op.PostAsync("/v1/sims/8942310000000000000/delete_session")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Fact]
    public async Task DeleteSubscriberSession_OnlineEndsIt_OfflineAnswers400()
    {
        var (op, simId, imsi, _) = await OnlineSimAsync();

        var answer = (await op.PostAsync($"/v1/subscribers/{imsi}/delete_session")).ShouldBe(HttpStatusCode.OK);
        answer.Str("imsi").ShouldBe(imsi);
        answer.Online().ShouldBeFalse();
        (await op.GetSimAsync(simId)).Online().ShouldBeFalse();

        (await op.PostAsync($"/v1/subscribers/{imsi}/delete_session")).ShouldBe(HttpStatusCode.BadRequest, "SEM0016");
        (await op.PostAsync("/v1/subscribers/001019999999999/delete_session")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");

        var other = await server.NewOperatorAsync();
        (await other.PostAsync($"/v1/subscribers/{imsi}/delete_session")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    [Theory]
    [InlineData("sims")]
    [InlineData("subscribers")]
    public async Task SessionEvents_PageNewestFirst_EveryEventOnce(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var gateway = server.Gateway();
        var start = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        var sessions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await gateway.AcceptedSessionAsync(imsi));
            server.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var id = route == "sims" ? simId : imsi;
        var path = $"/v1/{route}/{id}/events/sessions?limit=2";
        var seen = new List<(long Time, string Event, string SessionId)>();
        for (var pages = 0; pages < 10; pages++)
        {
            var page = (await op.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
            page.Array.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Array.Select(e => (e!["time"]!.GetValue<long>(), e["event"]!.GetValue<string>(), e["sessionId"]!.GetValue<string>())));
            var next = page.Header("x-soracom-next-key");
            if (next is null)
            {
                break;
            }

            page.Header("link").ShouldNotBeNull().ShouldContain("rel=next");
            path = $"/v1/{route}/{id}/events/sessions?limit=2&last_evaluated_key={next}";
        }

        seen.Select(e => e.Event).ShouldBe(["Created", "Deleted", "Created", "Deleted", "Created"]);
        seen.Select(e => e.SessionId).ShouldBe([sessions[2], sessions[1], sessions[1], sessions[0], sessions[0]]);
        seen.Select(e => e.Time).ShouldBeInOrder(SortDirection.Descending);

        // from/to select a window (ms).
        var window = (await op.GetAsync($"/v1/{route}/{id}/events/sessions?from={start + 5_000}&to={start + 15_000}")).ShouldBe(HttpStatusCode.OK).Array;
        window.Select(e => e!["event"]!.GetValue<string>()).ShouldBe(["Created", "Deleted"]);

        (await op.GetAsync($"/v1/{route}/{id}/events/sessions?last_evaluated_key=abc")).ShouldBe(HttpStatusCode.BadRequest, "COM0012");
        (await op.GetAsync($"/v1/{route}/{id}/events/sessions?limit=0")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync($"/v1/{route}/{id}/events/sessions?from=x")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task SessionEvents_OlderThan32Days_AreNotServed()
    {
        var (op, simId, imsi, _) = await OnlineSimAsync();
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 33 * 24 * 3600 })).ShouldBe(HttpStatusCode.OK);
        (await op.SessionEventsAsync(simId)).ShouldBeEmpty();
        (await op.GetAsync($"/v1/subscribers/{imsi}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array.ShouldBeEmpty();
        (await op.GetAsync("/v1/sims/8942310000000000000/events/sessions")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.GetAsync("/v1/subscribers/001019999999999/events/sessions")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    [Fact]
    public async Task QuerySims_SessionStatus_FiltersOnlineAndOffline()
    {
        var (op, online, _, _) = await OnlineSimAsync();
        var offline = (await op.CreateRegisteredSimAsync()).Str("simId");

        var onlineIds = (await op.GetAsync("/v1/query/sims?session_status=ONLINE")).ShouldBe(HttpStatusCode.OK).Array.Select(s => s!["simId"]!.GetValue<string>()).ToList();
        onlineIds.ShouldBe([online]);
        var offlineIds = (await op.GetAsync("/v1/query/sims?session_status=OFFLINE")).ShouldBe(HttpStatusCode.OK).Array.Select(s => s!["simId"]!.GetValue<string>()).ToList();
        offlineIds.ShouldBe([offline]);

        var listed = (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK).Array;
        listed.Single(s => s!["simId"]!.GetValue<string>() == online)!["sessionStatus"]!["online"]!.GetValue<bool>().ShouldBeTrue();
        listed.Single(s => s!["simId"]!.GetValue<string>() == offline)!["sessionStatus"]!["online"]!.GetValue<bool>().ShouldBeFalse();
        var subscribers = (await op.GetAsync("/v1/subscribers")).ShouldBe(HttpStatusCode.OK).Array;
        subscribers.Count(s => s!["sessionStatus"]!["online"]!.GetValue<bool>()).ShouldBe(1);
    }
}

public sealed class SessionLifecycleTests_Sqlite(SqliteServer server) : SessionLifecycleTests(server), IClassFixture<SqliteServer>;

public sealed class SessionLifecycleTests_Postgres(PostgresServer server) : SessionLifecycleTests(server), IClassFixture<PostgresServer>;
