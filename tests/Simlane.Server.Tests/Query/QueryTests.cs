using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Query;

/// <summary>/v1/query/sims and /v1/query/subscribers: partial, case-insensitive search.</summary>
public abstract class QueryTests(ServerFixture server)
{
    private static string Imsi(ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    private static async Task<List<string>> SimIdsAsync(ApiClient op, string query) =>
        [.. (await op.GetAsync("/v1/query/sims?" + query)).ShouldBe(HttpStatusCode.OK).Array.Select(s => s!["simId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> ImsisAsync(ApiClient op, string query) =>
        [.. (await op.GetAsync("/v1/query/subscribers?" + query)).ShouldBe(HttpStatusCode.OK).Array.Select(s => s!["imsi"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private sealed record Fixture(ApiClient Op, ApiResponse Alpha, ApiResponse Beta, ApiResponse Plain, string GroupId);

    /// <summary>Alpha: name "Sensor_Alpha%", tag site=Osaka, in group "Factory-East". Beta: name "sensor-beta", suspended. Plain: nothing.</summary>
    private async Task<Fixture> SeedAsync()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await other.CreateRegisteredSimAsync();
        (await other.PutAsync($"/v1/sims/{foreign.Str("simId")}/tags", new[] { new { tagName = "name", tagValue = "Sensor_Alpha%" } })).ShouldBe(HttpStatusCode.OK);

        var alpha = await op.CreateRegisteredSimAsync();
        var beta = await op.CreateRegisteredSimAsync();
        var plain = await op.CreateRegisteredSimAsync();
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "Factory-East" } })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        (await op.PutAsync($"/v1/sims/{alpha.Str("simId")}/tags", new[] { new { tagName = "name", tagValue = "Sensor_Alpha%" }, new { tagName = "site", tagValue = "Osaka" } })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{alpha.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        (await op.PutAsync($"/v1/sims/{beta.Str("simId")}/tags", new[] { new { tagName = "name", tagValue = "sensor-beta" } })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{beta.Str("simId")}/suspend")).ShouldBe(HttpStatusCode.OK);
        return new Fixture(op, alpha, beta, plain, groupId);
    }

    [Fact]
    public async Task SearchSims_NoParameters_ReturnsCallersSims()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "")).ShouldBe(Sorted(f.Alpha.Str("simId"), f.Beta.Str("simId"), f.Plain.Str("simId")));
    }

    [Fact]
    public async Task SearchSims_Name_PartialCaseInsensitive()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "name=SENSOR")).ShouldBe(Sorted(f.Alpha.Str("simId"), f.Beta.Str("simId")));
        (await SimIdsAsync(f.Op, "name=alpha")).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "name=nothing")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchSims_LikeWildcardsInValues_AreLiteral()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "name=r_a")).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "name=" + Uri.EscapeDataString("a%"))).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "name=" + Uri.EscapeDataString("r%b"))).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "name=r_b")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "name=" + Uri.EscapeDataString("%%"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchSims_GroupTagAndGroupId()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "group=factory")).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "group=west")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, $"group_id={f.GroupId[..8].ToUpperInvariant()}")).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "tag=osa")).ShouldBe([f.Alpha.Str("simId")]);
        (await SimIdsAsync(f.Op, "tag=beta")).ShouldBe([f.Beta.Str("simId")]);
    }

    [Fact]
    public async Task SearchSims_Identifiers_Partial()
    {
        var f = await SeedAsync();
        var simId = f.Plain.Str("simId");
        var imsi = Imsi(f.Plain);
        (await SimIdsAsync(f.Op, $"sim_id={simId[^6..]}")).ShouldContain(simId);
        (await SimIdsAsync(f.Op, $"imsi={imsi}")).ShouldBe([simId]);
        (await SimIdsAsync(f.Op, $"iccid={simId}")).ShouldBe([simId]);
        var msisdn = f.Plain.Json["profiles"]![simId]!["subscribers"]![imsi]!["msisdn"]!.GetValue<string>();
        (await SimIdsAsync(f.Op, $"msisdn={msisdn}")).ShouldBe([simId]);
        var serial = f.Plain.Str("serialNumber");
        (await SimIdsAsync(f.Op, $"serial_number={serial.ToLowerInvariant()}")).ShouldBe([simId]);
    }

    [Fact]
    public async Task SearchSims_StatusSubscriptionModuleType()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "status=suspended")).ShouldBe([f.Beta.Str("simId")]);
        (await SimIdsAsync(f.Op, "status=SUSP")).ShouldBe([f.Beta.Str("simId")]);
        (await SimIdsAsync(f.Op, "status=shipped")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "subscription=plan01s")).Count.ShouldBe(3);
        (await SimIdsAsync(f.Op, "subscription=plan01")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, $"module_type={f.Plain.Str("moduleType")}")).Count.ShouldBe(3);
        (await SimIdsAsync(f.Op, "module_type=zz")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "bundles=zz")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchSims_Bundles_PartialCaseInsensitive()
    {
        var f = await SeedAsync();
        var created = await f.Op.CreateSandboxSubscriberAsync(new { subscription = "plan-D", bundles = new[] { "D-500MB" } });
        var simId = (await f.Op.PostAsync($"/v1/subscribers/{created.Str("imsi")}/register", new { registrationSecret = created.Str("registrationSecret") }))
            .ShouldBe(HttpStatusCode.Created).Str("simId");

        (await SimIdsAsync(f.Op, "bundles=d-500")).ShouldBe([simId]);
        (await SimIdsAsync(f.Op, "bundles=zz,500mb")).ShouldBe([simId]);
        (await SimIdsAsync(f.Op, "bundles=300MB")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "bundles=500mb&name=alpha&search_type=or")).ShouldBe(Sorted(simId, f.Alpha.Str("simId")));
    }

    [Fact]
    public async Task SearchSims_CommasAndRepeats_AreAnyOf_SearchTypeCombines()
    {
        var f = await SeedAsync();
        var all = Sorted(f.Alpha.Str("simId"), f.Beta.Str("simId"));
        (await SimIdsAsync(f.Op, "name=alpha,beta")).ShouldBe(all);
        (await SimIdsAsync(f.Op, "name=alpha&name=beta")).ShouldBe(all);
        (await SimIdsAsync(f.Op, "name=sensor&status=suspended")).ShouldBe([f.Beta.Str("simId")]);
        (await SimIdsAsync(f.Op, "name=sensor&status=suspended&search_type=and")).ShouldBe([f.Beta.Str("simId")]);
        (await SimIdsAsync(f.Op, "name=alpha&status=suspended&search_type=or")).ShouldBe(all);
        (await SimIdsAsync(f.Op, "name=alpha&status=suspended")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchSims_SessionStatus_EverythingOffline()
    {
        var f = await SeedAsync();
        (await SimIdsAsync(f.Op, "session_status=ONLINE")).ShouldBeEmpty();
        (await SimIdsAsync(f.Op, "session_status=OFFLINE")).Count.ShouldBe(3);
        (await SimIdsAsync(f.Op, "session_status=NA&name=beta")).ShouldBe([f.Beta.Str("simId")]);
    }

    [Fact]
    public async Task SearchSims_DefaultLimitIs10()
    {
        var op = await server.NewOperatorAsync();
        for (var i = 0; i < 11; i++)
        {
            await op.CreateRegisteredSimAsync();
        }

        var first = (await op.GetAsync("/v1/query/sims")).ShouldBe(HttpStatusCode.OK);
        first.Array.Count.ShouldBe(10);
        first.Header("x-soracom-next-key").ShouldNotBeNull();
        (await op.GetAsync("/v1/query/sims?limit=100")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(11);
    }

    [Theory]
    [InlineData("/v1/query/sims?imsi=0")]
    [InlineData("/v1/query/sims?name=ab,c")]
    [InlineData("/v1/query/sims?name=ab&name=c")]
    [InlineData("/v1/query/sims?tag=ab,")]
    [InlineData("/v1/query/sims?limit=101")]
    [InlineData("/v1/query/sims?limit=0")]
    [InlineData("/v1/query/sims?search_type=xor")]
    [InlineData("/v1/query/sims?session_status=MAYBE")]
    [InlineData("/v1/query/subscribers?imsi=0")]
    [InlineData("/v1/query/subscribers?name=ab,c")]
    [InlineData("/v1/query/subscribers?limit=101")]
    [InlineData("/v1/query/subscribers?search_type=xor")]
    public async Task Search_InvalidQuery_Answers400(string path)
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync(path)).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task SearchSubscribers_MatchesPerImsi()
    {
        var f = await SeedAsync();
        (await ImsisAsync(f.Op, "")).Count.ShouldBe(3);
        (await ImsisAsync(f.Op, "name=SENSOR")).ShouldBe(Sorted(Imsi(f.Alpha), Imsi(f.Beta)));
        (await ImsisAsync(f.Op, "group=east")).ShouldBe([Imsi(f.Alpha)]);
        (await ImsisAsync(f.Op, "tag=osaka")).ShouldBe([Imsi(f.Alpha)]);
        (await ImsisAsync(f.Op, $"imsi={Imsi(f.Plain)[^5..]}")).ShouldContain(Imsi(f.Plain));
        (await ImsisAsync(f.Op, $"iccid={f.Plain.Str("simId")}")).ShouldBe([Imsi(f.Plain)]);
        (await ImsisAsync(f.Op, $"serial_number={f.Plain.Str("serialNumber")}")).ShouldBe([Imsi(f.Plain)]);
        (await ImsisAsync(f.Op, "subscription=PLAN01S")).Count.ShouldBe(3);
        (await ImsisAsync(f.Op, "name=alpha&tag=beta&search_type=or")).ShouldBe(Sorted(Imsi(f.Alpha), Imsi(f.Beta)));
        (await ImsisAsync(f.Op, "name=alpha&tag=beta")).ShouldBeEmpty();
        (await ImsisAsync(f.Op, "name=" + Uri.EscapeDataString("a%"))).ShouldBe([Imsi(f.Alpha)]);
    }
}

public sealed class QueryTests_Sqlite(SqliteServer server) : QueryTests(server), IClassFixture<SqliteServer>;

public sealed class QueryTests_Postgres(PostgresServer server) : QueryTests(server), IClassFixture<PostgresServer>;
