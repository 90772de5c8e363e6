using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>Malformed JSON, wrong JSON types and oversized bodies on the SIM and subscriber routes.</summary>
public abstract class BadInputTests(ServerFixture server)
{
    [Theory]
    [InlineData("sims", "update_speed_class")]
    [InlineData("subscribers", "update_speed_class")]
    [InlineData("sims", "set_imei_lock")]
    [InlineData("subscribers", "set_imei_lock")]
    [InlineData("sims", "register")]
    [InlineData("subscribers", "register")]
    public async Task Post_MalformedJson_Answers400(string route, string action)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);

        (await op.SendRawAsync(HttpMethod.Post, sim.Url(route, action), "{\"speedClass\": \"s1.fast\"")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.SendRawAsync(HttpMethod.Post, sim.Url(route, action), "not json")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Fact]
    public async Task PutTags_MalformedJson_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.SendRawAsync(HttpMethod.Put, sim.Url("sims", "tags"), "[{\"tagName\":")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.SendRawAsync(HttpMethod.Put, sim.Url("subscribers", "tags"), "[{\"tagName\":")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
    }

    [Theory]
    [InlineData("sims", "update_speed_class", "{\"speedClass\": 5}", "speedClass")]
    [InlineData("subscribers", "update_speed_class", "{\"speedClass\": [\"s1.fast\"]}", "speedClass")]
    [InlineData("sims", "set_imei_lock", "{\"imei\": 123456789012345}", "imei")]
    [InlineData("subscribers", "set_imei_lock", "{\"imei\": true}", "imei")]
    [InlineData("sims", "register", "{\"registrationSecret\": 1234}", "registrationSecret")]
    [InlineData("subscribers", "register", "{\"registrationSecret\": \"x\", \"tags\": [\"a\"]}", "tags")]
    public async Task Post_WrongJsonType_Answers400NamingTheField(string route, string action, string body, string field)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);

        var response = await op.SendRawAsync(HttpMethod.Post, sim.Url(route, action), body);
        response.Status.ShouldBe(HttpStatusCode.BadRequest, response.Text);
        response.Str("message").ShouldContain(field);
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Fact]
    public async Task CreateSim_WrongJsonType_Answers400NamingTheField()
    {
        var op = await server.NewOperatorAsync();
        var response = (await op.SendRawAsync(HttpMethod.Post, "/v1/sims", "{\"type\":\"virtual\",\"subscription\":{}}")).ShouldBe(HttpStatusCode.BadRequest);
        response.Str("message").ShouldContain("subscription");
    }

    [Theory]
    [InlineData("sims", "update_speed_class")]
    [InlineData("subscribers", "update_speed_class")]
    [InlineData("sims", "set_imei_lock")]
    [InlineData("subscribers", "activate")]
    [InlineData("sims", "terminate")]
    [InlineData("sims", "enable_termination")]
    [InlineData("subscribers", "disable_termination")]
    [InlineData("subscribers", "unset_imei_lock")]
    public async Task Post_BodyOver1MiB_Answers413AndChangesNothing(string route, string action)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);
        var body = "{\"speedClass\":\"s1.fast\",\"imei\":\"123456789012345\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";

        (await op.SendRawAsync(HttpMethod.Post, sim.Url(route, action), body)).ShouldBe(HttpStatusCode.RequestEntityTooLarge, "COM0005");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task PutTags_BodyOver1MiB_Answers413AndChangesNothing(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);
        var body = "[{\"tagName\":\"big\",\"tagValue\":\"" + new string('x', 1024 * 1024) + "\"}]";

        (await op.SendRawAsync(HttpMethod.Put, sim.Url(route, "tags"), body)).ShouldBe(HttpStatusCode.RequestEntityTooLarge, "COM0005");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Fact]
    public async Task Post_BodyOf1MiBExactly_IsAccepted()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var prefix = "{\"speedClass\":\"s1.fast\",\"pad\":\"";
        var body = prefix + new string('x', (1024 * 1024) - prefix.Length - 2) + "\"}";
        body.Length.ShouldBe(1024 * 1024);

        (await op.SendRawAsync(HttpMethod.Post, sim.Url("sims", "update_speed_class"), body)).ShouldBe(HttpStatusCode.OK).Str("speedClass").ShouldBe("s1.fast");
    }
}

public sealed class BadInputTests_Sqlite(SqliteServer server) : BadInputTests(server), IClassFixture<SqliteServer>;

public sealed class BadInputTests_Postgres(PostgresServer server) : BadInputTests(server), IClassFixture<PostgresServer>;
