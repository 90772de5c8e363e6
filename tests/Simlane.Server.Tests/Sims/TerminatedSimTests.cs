using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>Terminated is final: every change is refused with SEM0003 and the SIM stays readable.</summary>
public abstract class TerminatedSimTests(ServerFixture server)
{
    public static TheoryData<string, string, string, string?> Changes()
    {
        var data = new TheoryData<string, string, string, string?>();
        (string Method, string Action, string? Body)[] changes =
        [
            ("POST", "activate", null), ("POST", "deactivate", null), ("POST", "set_to_standby", null), ("POST", "suspend", null),
            ("POST", "terminate", null), ("POST", "enable_termination", null), ("POST", "disable_termination", null),
            ("POST", "update_speed_class", "{\"speedClass\":\"s1.fast\"}"), ("POST", "update_speed_class", "{\"speedClass\":\"s1.standard\"}"),
            ("POST", "set_imei_lock", "{\"imei\":\"123456789012345\"}"), ("POST", "set_imei_lock", null), ("POST", "unset_imei_lock", null),
            ("PUT", "tags", "[{\"tagName\":\"site\",\"tagValue\":\"B\"}]"), ("DELETE", "tags/site", null),
        ];
        foreach (var route in new[] { "sims", "subscribers" })
        {
            foreach (var (method, action, body) in changes)
            {
                data.Add(route, method, action, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Change_OnTerminatedSim_Answers400AndChangesNothing(string route, string method, string action, string? body)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.PutAsync(sim.Url("sims", "tags"), new[] { new { tagName = "site", tagValue = "A" } })).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "set_imei_lock", new { imei = "111111111111111" })).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync("sims", "terminate")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var response = await op.SendAsync(new HttpMethod(method), sim.Url(route, action), body is null ? null : JsonNode.Parse(body));
        response.ShouldBe(HttpStatusCode.BadRequest, "SEM0003");

        (await server.SnapshotAsync(sim)).ShouldBe(before);
        var view = await sim.GetAsync();
        view.Str("status").ShouldBe("terminated");
        (await op.GetAsync($"/v1/subscribers/{sim.Imsi}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
        (await op.GetAsync(sim.Url("sims", "statuses/history"))).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class TerminatedSimTests_Sqlite(SqliteServer server) : TerminatedSimTests(server), IClassFixture<SqliteServer>;

public sealed class TerminatedSimTests_Postgres(PostgresServer server) : TerminatedSimTests(server), IClassFixture<PostgresServer>;
