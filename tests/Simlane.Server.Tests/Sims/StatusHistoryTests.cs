using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>GET /v1/sims/{sim_id}/statuses/history: rows, units, sort, limit and paging.</summary>
public abstract class StatusHistoryTests(ServerFixture server)
{
    [Fact]
    public async Task ListStatusHistory_AfterChanges_HasOneRowPerStatusOrSpeedClassChangeInSeconds()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var expected = new List<(string Status, string SpeedClass, long Seconds)>();

        server.Clock.Advance(TimeSpan.FromSeconds(61));
        (await sim.PostAsync("sims", "activate")).ShouldBe(HttpStatusCode.OK);
        expected.Add(("active", "s1.standard", server.Clock.GetUtcNow().ToUnixTimeSeconds()));
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        (await sim.PostAsync("subscribers", "update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        expected.Add(("active", "s1.fast", server.Clock.GetUtcNow().ToUnixTimeSeconds()));
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        (await sim.PostAsync("sims", "activate")).ShouldBe(HttpStatusCode.OK); // same status: no row
        (await sim.PostAsync("sims", "set_imei_lock", new { imei = "123456789012345" })).ShouldBe(HttpStatusCode.OK); // not a status or speed change
        (await sim.PostAsync("subscribers", "suspend")).ShouldBe(HttpStatusCode.OK);
        expected.Add(("suspended", "s1.fast", server.Clock.GetUtcNow().ToUnixTimeSeconds()));
        (await sim.PostAsync("sims", "set_to_standby")).ShouldBe(HttpStatusCode.BadRequest, "SEM0005"); // refused: no row

        var asc = (await op.GetAsync(sim.Url("sims", "statuses/history?sort=asc"))).ShouldBe(HttpStatusCode.OK).Array;
        asc.Select(r => (r!["status"]!.GetValue<string>(), r["speedClass"]!.GetValue<string>(), r["applyDateTimeEpochSec"]!.GetValue<long>()))
            .ShouldBe(expected);
        foreach (var row in asc)
        {
            row!["simId"]!.GetValue<string>().ShouldBe(sim.SimId);
            row["imsi"]!.GetValue<string>().ShouldBe(sim.Imsi);
            row["primaryImsi"]!.GetValue<string>().ShouldBe(sim.Imsi);
            row["isPrimary"]!.GetValue<bool>().ShouldBeTrue();
            row["subscription"]!.GetValue<string>().ShouldBe("plan01s");
        }

        var desc = (await op.GetAsync(sim.Url("sims", "statuses/history?sort=desc"))).ShouldBe(HttpStatusCode.OK).Array;
        desc.Select(r => r!["applyDateTimeEpochSec"]!.GetValue<long>()).ShouldBe(expected.Select(e => e.Seconds).Reverse());
        var byDefault = (await op.GetAsync(sim.Url("sims", "statuses/history"))).ShouldBe(HttpStatusCode.OK).Array;
        byDefault.ToJsonString().ShouldBe(desc.ToJsonString());
    }

    [Fact]
    public async Task ListStatusHistory_NewSim_IsEmpty()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var response = (await op.GetAsync(sim.Url("sims", "statuses/history"))).ShouldBe(HttpStatusCode.OK);
        response.Array.ShouldBeEmpty();
        response.Header("x-soracom-next-key").ShouldBeNull();
    }

    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task ListStatusHistory_PagedWithLimit_ReturnsEveryRowExactlyOnce(string sort)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        string[] actions = ["activate", "deactivate", "activate", "suspend", "activate", "deactivate", "set_to_standby"];
        foreach (var action in actions)
        {
            server.Clock.Advance(TimeSpan.FromSeconds(1));
            (await sim.PostAsync("sims", action)).ShouldBe(HttpStatusCode.OK);
        }

        var all = (await op.GetAsync(sim.Url("sims", $"statuses/history?sort={sort}&limit=100"))).ShouldBe(HttpStatusCode.OK);
        all.Array.Count.ShouldBe(actions.Length);
        all.Header("x-soracom-next-key").ShouldBeNull();

        foreach (var limit in new[] { 1, 2, 3 })
        {
            var seen = new List<string>();
            string? key = null;
            var pages = 0;
            do
            {
                var url = sim.Url("sims", $"statuses/history?sort={sort}&limit={limit}") + (key is null ? "" : $"&last_evaluated_key={Uri.EscapeDataString(key)}");
                var page = (await op.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
                page.Array.Count.ShouldBeLessThanOrEqualTo(limit);
                seen.AddRange(page.Array.Select(r => r!.ToJsonString()));
                key = page.Header("x-soracom-next-key");
                if (key is not null)
                {
                    page.Header("link").ShouldNotBeNull().ShouldContain("rel=next");
                }

                (++pages).ShouldBeLessThan(20);
            }
            while (key is not null);

            seen.ShouldBe(all.Array.Select(r => r!.ToJsonString()), $"limit {limit}");
        }
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    public async Task ListStatusHistory_LimitOutOfRange_Answers400(string query)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.GetAsync(sim.Url("sims", $"statuses/history?{query}"))).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Theory]
    [InlineData("limit=1")]
    [InlineData("limit=100")]
    public async Task ListStatusHistory_LimitAtBounds_Answers200(string query)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.GetAsync(sim.Url("sims", $"statuses/history?{query}"))).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("sort=up")]
    [InlineData("sort=ASC")]
    public async Task ListStatusHistory_BadSort_Answers400(string query)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.GetAsync(sim.Url("sims", $"statuses/history?{query}"))).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task ListStatusHistory_BadPagingKey_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.GetAsync(sim.Url("sims", "statuses/history?last_evaluated_key=abc"))).ShouldBe(HttpStatusCode.BadRequest, "COM0012");
    }

    [Fact]
    public async Task ListStatusHistory_FromAndToInMilliseconds_FilterRows()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await sim.PostAsync("sims", "activate")).ShouldBe(HttpStatusCode.OK);
        var first = server.NowMs();
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await sim.PostAsync("sims", "deactivate")).ShouldBe(HttpStatusCode.OK);
        var second = server.NowMs();

        var onlySecond = (await op.GetAsync(sim.Url("sims", $"statuses/history?from={first + 1}"))).ShouldBe(HttpStatusCode.OK).Array;
        onlySecond.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["inactive"]);
        var onlyFirst = (await op.GetAsync(sim.Url("sims", $"statuses/history?to={second - 1}"))).ShouldBe(HttpStatusCode.OK).Array;
        onlyFirst.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["active"]);
    }

    [Fact]
    public async Task ListStatusHistory_UnknownSim_Answers404()
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync($"/v1/sims/{SimTestKit.UnknownSimId}/statuses/history")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }
}

public sealed class StatusHistoryTests_Sqlite(SqliteServer server) : StatusHistoryTests(server), IClassFixture<SqliteServer>;

public sealed class StatusHistoryTests_Postgres(PostgresServer server) : StatusHistoryTests(server), IClassFixture<PostgresServer>;
