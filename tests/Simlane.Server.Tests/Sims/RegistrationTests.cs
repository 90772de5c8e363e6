using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>Sandbox SIM creation and registration through /sims/{id}/register and /subscribers/{imsi}/register.</summary>
public abstract class RegistrationTests(ServerFixture server)
{
    [Fact]
    public async Task SandboxCreate_NoBody_CreatesReadyPlan01sSimWithTestImsi()
    {
        var op = await server.NewOperatorAsync();
        var created = await op.CreateSandboxSubscriberAsync();

        created.Str("imsi").ShouldStartWith("00101");
        created.Str("imsi").Length.ShouldBe(15);
        created.Str("registrationSecret").ShouldNotBeNullOrWhiteSpace();
        created.Str("subscription").ShouldBe("plan01s");
        created.Str("speedClass").ShouldBe("s1.standard");
        created.Str("status").ShouldBe("ready");
        created.Json["createdAt"]!.GetValue<long>().ShouldBe(server.NowMs());

        // Not registered yet: nobody sees it.
        (await op.GetAsync($"/v1/subscribers/{created.Str("imsi")}")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    [Fact]
    public async Task SandboxCreate_WithSubscriptionAndBundles_UsesThem()
    {
        var op = await server.NewOperatorAsync();
        var created = await op.CreateSandboxSubscriberAsync(new { subscription = "plan-DU", bundles = new[] { "DU-10GB" } });
        created.Str("subscription").ShouldBe("plan-DU");
        created.Str("speedClass").ShouldBe("u1.standard");

        var registered = (await op.PostAsync($"/v1/subscribers/{created.Str("imsi")}/register", new { registrationSecret = created.Str("registrationSecret") }))
            .ShouldBe(HttpStatusCode.Created);
        registered.Str("subscription").ShouldBe("plan-DU");
        registered.Json["bundles"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["DU-10GB"]);
    }

    [Theory]
    [InlineData("{\"subscription\":\"plan-XYZ\"}")]
    [InlineData("{\"subscription\":\"planArc01\"}")]
    [InlineData("{\"subscription\":\"plan01s\",\"bundles\":[\"DU-10GB\"]}")]
    [InlineData("{\"subscription\":\"plan-D\",\"bundles\":[\"NOPE\"]}")]
    public async Task SandboxCreate_BadSubscriptionOrBundle_Answers400(string body)
    {
        var op = await server.NewOperatorAsync();
        var response = await op.SendRawAsync(HttpMethod.Post, "/v1/sandbox/subscribers/create", body);
        response.Status.ShouldBe(HttpStatusCode.BadRequest, response.Text);
    }

    [Fact]
    public async Task RegisterSim_BySimId_Answers201AndOwnsTheSim()
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var registered = (await op.PostAsync($"/v1/sims/{simId}/register", new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
        registered.Str("simId").ShouldBe(simId);
        registered.Str("operatorId").ShouldBe(op.OperatorId);
        registered.Str("status").ShouldBe("ready");
        registered.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        registered.Json["profiles"]![simId]!["primaryImsi"]!.GetValue<string>().ShouldBe(imsi);
        (await op.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK).Json["registeredTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Fact]
    public async Task RegisterSubscriber_ByImsi_Answers201WithSubscriberView()
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);

        var registered = (await op.PostAsync($"/v1/subscribers/{imsi}/register", new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
        registered.Str("imsi").ShouldBe(imsi);
        registered.Str("simId").ShouldBe(simId);
        registered.Str("operatorId").ShouldBe(op.OperatorId);
        registered.Json["registeredTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_WrongSecret_Answers400AndStaysUnregistered(string route)
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);
        var url = RegisterUrl(route, simId, imsi);

        (await op.PostAsync(url, new { registrationSecret = secret + "0" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0011");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.PostAsync(url, new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_MissingSecret_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var (imsi, _, simId) = await CreateInventorySimAsync(op);
        var url = RegisterUrl(route, simId, imsi);

        (await op.PostAsync(url, new { })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(url, new { registrationSecret = "" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(url)).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_AlreadyRegisteredToMe_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);
        var url = RegisterUrl(route, simId, imsi);
        (await op.PostAsync(url, new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);

        (await op.PostAsync(url, new { registrationSecret = secret })).ShouldBe(HttpStatusCode.BadRequest, "SEM0012");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_RegisteredToAnotherOperator_AnswersLikeMissing(string route)
    {
        var owner = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(owner);
        (await owner.PostAsync(RegisterUrl(route, simId, imsi), new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
        var stranger = await server.NewOperatorAsync();

        var foreign = await stranger.PostAsync(RegisterUrl(route, simId, imsi), new { registrationSecret = secret });
        var missingId = route == "sims" ? SimTestKit.UnknownSimId : SimTestKit.UnknownImsi;
        var missing = await stranger.PostAsync(RegisterUrl(route, SimTestKit.UnknownSimId, SimTestKit.UnknownImsi), new { registrationSecret = secret });

        missing.ShouldBe(HttpStatusCode.NotFound, route == "sims" ? "SEM0001" : "SEM0002");
        foreign.ShouldBe(HttpStatusCode.NotFound, missing.Str("code"));
        foreign.Str("message").Replace(route == "sims" ? simId : imsi, "<id>", StringComparison.Ordinal)
            .ShouldBe(missing.Str("message").Replace(missingId, "<id>", StringComparison.Ordinal));
        (await owner.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("operatorId").ShouldBe(owner.OperatorId);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_WithTags_AppliesThem(string route)
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);

        (await op.PostAsync(RegisterUrl(route, simId, imsi), new { registrationSecret = secret, tags = new Dictionary<string, string> { ["name"] = "meter 7", ["site"] = "" } }))
            .ShouldBe(HttpStatusCode.Created);
        var tags = (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!;
        tags["name"]!.GetValue<string>().ShouldBe("meter 7");
        tags["site"]!.GetValue<string>().ShouldBe("");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_UnknownGroup_Answers404AndChangesNothing(string route)
    {
        var op = await server.NewOperatorAsync();
        var (imsi, secret, simId) = await CreateInventorySimAsync(op);
        var url = RegisterUrl(route, simId, imsi);

        (await op.PostAsync(url, new { registrationSecret = secret, groupId = "no-such-group", tags = new Dictionary<string, string> { ["name"] = "x" } }))
            .ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await server.EventsAsync(simId)).ShouldBeEmpty();

        var registered = (await op.PostAsync(url, new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
        registered.Json["tags"]!.AsObject().Select(t => t.Key).ShouldBe(["name"]);
        registered.Json["tags"]!["name"]!.GetValue<string>().ShouldBe("");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Register_UnknownId_Answers404(string route)
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync(RegisterUrl(route, SimTestKit.UnknownSimId, SimTestKit.UnknownImsi), new { registrationSecret = "12345678" }))
            .ShouldBe(HttpStatusCode.NotFound, route == "sims" ? "SEM0001" : "SEM0002");
    }

    private static string RegisterUrl(string route, string simId, string imsi) =>
        route == "sims" ? $"/v1/sims/{simId}/register" : $"/v1/subscribers/{imsi}/register";

    /// <summary>
    /// A sandbox SIM still in inventory. The sandbox response carries no SIM ID (as SORACOM's), so the ID
    /// printed on the card is read from the server's database.
    /// </summary>
    private async Task<(string Imsi, string Secret, string SimId)> CreateInventorySimAsync(ApiClient op)
    {
        var created = await op.CreateSandboxSubscriberAsync();
        var imsi = created.Str("imsi");
        await using var db = server.OpenDb();
        var simId = await db.Subscriptions.Where(s => s.Imsi == imsi).Select(s => s.SimId).SingleAsync();
        return (imsi, created.Str("registrationSecret"), simId);
    }
}

public sealed class RegistrationTests_Sqlite(SqliteServer server) : RegistrationTests(server), IClassFixture<SqliteServer>;

public sealed class RegistrationTests_Postgres(PostgresServer server) : RegistrationTests(server), IClassFixture<PostgresServer>;
