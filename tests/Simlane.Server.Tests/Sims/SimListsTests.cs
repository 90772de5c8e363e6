using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>GET /v1/sims and GET /v1/subscribers: scoping, order, limits and filters.</summary>
public abstract class SimListsTests(ServerFixture server)
{
    private static string Imsi(ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    private static async Task<List<string>> ImsisAsync(ApiClient op, string query) =>
        (await op.GetAsync("/v1/subscribers?" + query)).ShouldBe(HttpStatusCode.OK).Array.Select(s => s!["imsi"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task ListSims_OnlyCallersSims_OrderedBySimId_TerminatedIncluded()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        await other.CreateRegisteredSimAsync();
        await op.CreateSandboxSubscriberAsync(); // inventory, not registered
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await op.CreateRegisteredSimAsync()).Str("simId"));
        }

        (await op.PostAsync($"/v1/sims/{ids[1]}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{ids[1]}/terminate")).ShouldBe(HttpStatusCode.OK);

        var listed = (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK);
        listed.Header("x-soracom-next-key").ShouldBeNull();
        listed.Array.Select(s => s!["simId"]!.GetValue<string>()).ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        listed.Array.Single(s => s!["simId"]!.GetValue<string>() == ids[1])!["status"]!.GetValue<string>().ShouldBe("terminated");
    }

    [Fact]
    public async Task ListSims_LimitAbove100_IsClamped()
    {
        var op = await server.NewOperatorAsync();
        await op.CreateRegisteredSimAsync();
        (await op.GetAsync("/v1/sims?limit=1000")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    public async Task ListSims_InvalidLimit_Answers400(string query)
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync("/v1/sims?" + query)).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task ListSubscribers_OneItemPerImsi_OrderedByImsi_OnlyCallers()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        await other.CreateRegisteredSimAsync();
        var imsis = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            imsis.Add(Imsi(await op.CreateRegisteredSimAsync()));
        }

        var listed = (await op.GetAsync("/v1/subscribers")).ShouldBe(HttpStatusCode.OK);
        listed.Header("x-soracom-next-key").ShouldBeNull();
        listed.Array.Select(s => s!["imsi"]!.GetValue<string>()).ShouldBe(imsis.Order(StringComparer.Ordinal).ToList());
        listed.Array.ShouldAllBe(s => s!["operatorId"]!.GetValue<string>() == op.OperatorId);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=x")]
    [InlineData("status_filter=activ")]
    [InlineData("status_filter=active|bogus")]
    [InlineData("speed_class_filter=s9.warp")]
    [InlineData("speed_class_filter=s1.fast%7Cs1.nope")]
    [InlineData("tag_name=name")]
    [InlineData("tag_value=x")]
    [InlineData("tag_name=a&tag_value=b&tag_value_match_mode=regex")]
    public async Task ListSubscribers_InvalidQuery_Answers400(string query)
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync("/v1/subscribers?" + query)).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task ListSubscribers_Limit100_IsAccepted()
    {
        var op = await server.NewOperatorAsync();
        await op.CreateRegisteredSimAsync();
        (await ImsisAsync(op, "limit=100")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListSubscribers_StatusFilter_PipeSeparated()
    {
        var op = await server.NewOperatorAsync();
        var ready = Imsi(await op.CreateRegisteredSimAsync());
        var active = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{active.Str("simId")}/activate")).ShouldBe(HttpStatusCode.OK);
        var terminated = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{terminated.Str("simId")}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{terminated.Str("simId")}/terminate")).ShouldBe(HttpStatusCode.OK);

        (await ImsisAsync(op, "status_filter=active")).ShouldBe([Imsi(active)]);
        (await ImsisAsync(op, "status_filter=active|terminated")).ShouldBe(new[] { Imsi(active), Imsi(terminated) }.Order(StringComparer.Ordinal).ToList());
        (await ImsisAsync(op, "status_filter=ready%7Cterminated")).ShouldBe(new[] { ready, Imsi(terminated) }.Order(StringComparer.Ordinal).ToList());
        (await ImsisAsync(op, "status_filter=instock|shipped")).ShouldBeEmpty();
        (await ImsisAsync(op, "status_filter=suspended")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListSubscribers_SpeedClassFilter()
    {
        var op = await server.NewOperatorAsync();
        var standard = await op.CreateRegisteredSimAsync();
        var fast = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{fast.Str("simId")}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);

        (await ImsisAsync(op, "speed_class_filter=s1.fast")).ShouldBe([Imsi(fast)]);
        (await ImsisAsync(op, $"speed_class_filter={standard.Str("speedClass")}")).ShouldBe([Imsi(standard)]);
        (await ImsisAsync(op, $"speed_class_filter=s1.fast|{standard.Str("speedClass")}")).Count.ShouldBe(2);
        (await ImsisAsync(op, "speed_class_filter=u1.slow|arc.standard|t1.standard")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListSubscribers_SerialNumberFilter_PrefixAndPipe()
    {
        var op = await server.NewOperatorAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        var serialA = a.Str("serialNumber");
        var serialB = b.Str("serialNumber");

        (await ImsisAsync(op, $"serial_number_filter={serialA}")).ShouldBe([Imsi(a)]);
        (await ImsisAsync(op, $"serial_number_filter={serialA[..^1]}")).ShouldContain(Imsi(a));
        (await ImsisAsync(op, $"serial_number_filter={serialA}|{serialB}")).Count.ShouldBe(2);
        (await ImsisAsync(op, "serial_number_filter=NOPE-NOTHING")).ShouldBeEmpty();
        (await ImsisAsync(op, $"serial_number_filter={serialA[1..]}")).ShouldNotContain(Imsi(a));
    }

    [Fact]
    public async Task ListSubscribers_TagFilter_ExactAndPrefix()
    {
        var op = await server.NewOperatorAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        var c = await op.CreateRegisteredSimAsync();
        (await op.PutAsync($"/v1/sims/{a.Str("simId")}/tags", new[] { new { tagName = "site", tagValue = "tokyo-1" } })).ShouldBe(HttpStatusCode.OK);
        (await op.PutAsync($"/v1/sims/{b.Str("simId")}/tags", new[] { new { tagName = "site", tagValue = "tokyo-2" } })).ShouldBe(HttpStatusCode.OK);
        (await op.PutAsync($"/v1/sims/{c.Str("simId")}/tags", new[] { new { tagName = "other", tagValue = "tokyo-1" } })).ShouldBe(HttpStatusCode.OK);

        (await ImsisAsync(op, "tag_name=site&tag_value=tokyo-1")).ShouldBe([Imsi(a)]);
        (await ImsisAsync(op, "tag_name=site&tag_value=tokyo")).ShouldBeEmpty();
        (await ImsisAsync(op, "tag_name=site&tag_value=tokyo&tag_value_match_mode=prefix")).ShouldBe(new[] { Imsi(a), Imsi(b) }.Order(StringComparer.Ordinal).ToList());
        (await ImsisAsync(op, "tag_name=site&tag_value=TOKYO&tag_value_match_mode=prefix")).ShouldBeEmpty();
        (await ImsisAsync(op, "tag_name=site&tag_value=tokyo&tag_value_match_mode=prefix&status_filter=active")).ShouldBeEmpty();
    }
}

public sealed class SimListsTests_Sqlite(SqliteServer server) : SimListsTests(server), IClassFixture<SqliteServer>;

public sealed class SimListsTests_Postgres(PostgresServer server) : SimListsTests(server), IClassFixture<PostgresServer>;
