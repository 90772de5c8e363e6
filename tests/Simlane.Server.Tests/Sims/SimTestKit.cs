using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Sims;

/// <summary>A registered SIM addressed through either route: <c>sims</c> (by SIM ID) or <c>subscribers</c> (by IMSI).</summary>
public sealed record TestSim(ApiClient Op, string SimId, string Imsi)
{
    public string Url(string route, string? action = null)
    {
        var root = route switch
        {
            "sims" => $"/v1/sims/{SimId}",
            "subscribers" => $"/v1/subscribers/{Imsi}",
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "sims or subscribers"),
        };
        return action is null ? root : $"{root}/{action}";
    }

    public Task<ApiResponse> PostAsync(string route, string action, object? body = null) => Op.PostAsync(Url(route, action), body);

    public async Task<ApiResponse> GetAsync() => (await Op.GetAsync($"/v1/sims/{SimId}")).ShouldBe(HttpStatusCode.OK);

    public async Task<string> StatusAsync() => (await GetAsync()).Str("status");
}

public static class SimTestKit
{
    public const string UnknownSimId = "8942310999999999999";
    public const string UnknownImsi = "001019999999999";

    public static IEnumerable<object[]> Routes => [["sims"], ["subscribers"]];

    /// <summary>A sandbox SIM of <paramref name="subscription"/> registered to <paramref name="op"/> (status ready).</summary>
    public static async Task<TestSim> NewSimAsync(this ApiClient op, string subscription = "plan01s")
    {
        var sim = await op.CreateRegisteredSimAsync(subscription);
        var simId = sim.Str("simId");
        return new TestSim(op, simId, sim.Json["profiles"]![simId]!["primaryImsi"]!.GetValue<string>());
    }

    /// <summary>A new SIM already moved to <paramref name="status"/> through the API.</summary>
    public static async Task<TestSim> NewSimInStatusAsync(this ApiClient op, string status, string subscription = "plan01s")
    {
        var sim = await op.NewSimAsync(subscription);
        var action = status switch
        {
            "ready" => null,
            "active" => "activate",
            "inactive" => "deactivate",
            "standby" => "set_to_standby",
            "suspended" => "suspend",
            "terminated" => "terminate",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
        };
        if (status == "terminated")
        {
            (await sim.PostAsync("sims", "enable_termination")).ShouldBe(HttpStatusCode.OK);
        }

        if (action is not null)
        {
            (await sim.PostAsync("sims", action)).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe(status);
        }

        return sim;
    }

    public static SimlaneDb OpenDb(this ServerFixture server) => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    public static async Task<List<DomainEvent>> EventsAsync(this ServerFixture server, string simId)
    {
        await using var db = server.OpenDb();
        return await db.DomainEvents.AsNoTracking().Where(e => e.SimId == simId).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task<List<StatusHistoryEntry>> HistoryAsync(this ServerFixture server, string simId)
    {
        await using var db = server.OpenDb();
        return await db.StatusHistory.AsNoTracking().Where(h => h.SimId == simId).OrderBy(h => h.Id).ToListAsync();
    }

    /// <summary>Everything a refused or same-status call must leave alone: the Sim view, history rows and events.</summary>
    public static async Task<string> SnapshotAsync(this ServerFixture server, TestSim sim)
    {
        var view = (await sim.GetAsync()).Text;
        var history = (await server.HistoryAsync(sim.SimId)).Count;
        var events = (await server.EventsAsync(sim.SimId)).Count;
        return $"{view}\nhistory={history}\nevents={events}";
    }

    public static long NowMs(this ServerFixture server) => server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
}
