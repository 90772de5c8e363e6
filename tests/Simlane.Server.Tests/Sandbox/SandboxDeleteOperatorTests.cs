using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Sandbox;

/// <summary>
/// sandboxDeleteOperator (docs/api.md, decisions.md S44): the operator and everything it owns go, its
/// credentials stop working, and another operator is untouched.
/// </summary>
public abstract class SandboxDeleteOperatorTests(ServerFixture server)
{
    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    /// <summary>A SIM with tags, group, expiry, traffic and a handler; an auth key, an export and a bill.</summary>
    private static async Task<(string SimId, string Imsi, string GroupId, string AuthKeyId, string AuthKey)> PopulateAsync(ApiClient op)
    {
        var (simId, imsi) = await op.RegisterSimAsync();
        (await op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = "name", tagValue = "meter" } })).ShouldBe(HttpStatusCode.OK);
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "fleet" } })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 86_400_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
        {
            unixtime = (now / 1000) - 60,
            dataTrafficStatsMap = new Dictionary<string, object>
            {
                ["s1.standard"] = new { uploadByteSizeTotal = 1000, downloadByteSizeTotal = 2000, uploadPacketSizeTotal = 1, downloadPacketSizeTotal = 2 },
            },
        })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/event_handlers", new JsonObject
        {
            ["name"] = "daily",
            ["status"] = "active",
            ["targetOperatorId"] = op.OperatorId,
            ["ruleConfig"] = new JsonObject
            {
                ["type"] = "SubscriberDailyTrafficRule",
                ["properties"] = new JsonObject { ["limitTotalTrafficMegaByte"] = "10", ["inactiveTimeoutDateConst"] = "BEGINNING_OF_NEXT_DAY" },
            },
            ["actionConfigList"] = new JsonArray(new JsonObject
            {
                ["type"] = "ChangeSpeedClassAction",
                ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["speedClass"] = "s1.minimum" },
            }),
        })).ShouldBe(HttpStatusCode.Created);
        var key = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        (await op.PostAsync("/v1/subscribers/export")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3600 })).ShouldBe(HttpStatusCode.OK); // an aggregation: a bill
        return (simId, imsi, groupId, key.Str("authKeyId"), key.Str("authKey"));
    }

    [Fact]
    public async Task Delete_RemovesTheOperatorAndAllItOwns_CredentialsStopWorking_OthersUntouched()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (simId, imsi, groupId, authKeyId, authKey) = await PopulateAsync(op);
        var (otherSimId, otherImsi, otherGroupId, _, _) = await PopulateAsync(other);
        var operatorId = op.OperatorId!;

        (await op.DeleteAsync($"/v1/sandbox/operators/{operatorId}")).ShouldBe(HttpStatusCode.OK).Text.ShouldBeEmpty();

        (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
        (await op.DeleteAsync($"/v1/sandbox/operators/{operatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId, authKey })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");

        await using (var db = Db())
        {
            (await db.Operators.CountAsync(o => o.OperatorId == operatorId)).ShouldBe(0);
            (await db.ApiTokens.CountAsync(t => t.OperatorId == operatorId)).ShouldBe(0);
            (await db.AuthKeys.CountAsync(k => k.OperatorId == operatorId)).ShouldBe(0);
            (await db.Sims.CountAsync(s => s.SimId == simId || s.OperatorId == operatorId)).ShouldBe(0);
            (await db.Subscriptions.CountAsync(s => s.Imsi == imsi)).ShouldBe(0);
            (await db.SimTags.CountAsync(t => t.SimId == simId)).ShouldBe(0);
            (await db.StatusHistory.CountAsync(h => h.SimId == simId)).ShouldBe(0);
            (await db.Groups.CountAsync(g => g.GroupId == groupId)).ShouldBe(0);
            (await db.GroupTags.CountAsync(t => t.GroupId == groupId)).ShouldBe(0);
            (await db.GroupMemberships.CountAsync(m => m.OperatorId == operatorId || m.SimId == simId)).ShouldBe(0);
            (await db.EventHandlers.CountAsync(h => h.OperatorId == operatorId)).ShouldBe(0);
            (await db.DomainEvents.CountAsync(e => e.OperatorId == operatorId)).ShouldBe(0);
            (await db.UsageCounters.CountAsync(c => c.OperatorId == operatorId)).ShouldBe(0);
            (await db.AcceptedUsageRecords.CountAsync(r => r.Imsi == imsi)).ShouldBe(0);
            (await db.Timers.CountAsync(t => t.Payload == simId)).ShouldBe(0);
            (await db.MonthlyCharges.CountAsync(b => b.OperatorId == operatorId)).ShouldBe(0);
            (await db.DailyCharges.CountAsync(b => b.OperatorId == operatorId)).ShouldBe(0);
            (await db.SimDayCharges.CountAsync(b => b.OperatorId == operatorId)).ShouldBe(0);
            (await db.ExportedFiles.CountAsync(f => f.OperatorId == operatorId)).ShouldBe(0);

            // The other operator keeps every row of its own.
            (await db.Sims.CountAsync(s => s.SimId == otherSimId)).ShouldBe(1);
            (await db.GroupMemberships.CountAsync(m => m.SimId == otherSimId && m.GroupId == otherGroupId)).ShouldBe(1);
            (await db.Timers.CountAsync(t => t.Payload == otherSimId)).ShouldBe(1);
            (await db.EventHandlers.CountAsync(h => h.OperatorId == other.OperatorId)).ShouldBe(1);
            (await db.MonthlyCharges.CountAsync(b => b.OperatorId == other.OperatorId)).ShouldBe(1);
            (await db.ExportedFiles.CountAsync(f => f.OperatorId == other.OperatorId)).ShouldBe(1);
        }

        var otherSim = (await other.GetAsync($"/v1/sims/{otherSimId}")).ShouldBe(HttpStatusCode.OK);
        otherSim.Str("status").ShouldBe("active");
        otherSim.Json["groupId"]!.GetValue<string>().ShouldBe(otherGroupId);
        (await other.GetAsync($"/v1/subscribers/{otherImsi}")).ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await other.GetAsync("/v1/event_handlers")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(1);
        (await other.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);

        // The clock moves on and timers fire with the operator gone.
        (await other.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 86_400 })).ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync($"/v1/sims/{otherSimId}")).ShouldBe(HttpStatusCode.OK).Json["expiryTime"].ShouldBeNull();

        // The email is free again: a new sign-up is a new, empty operator.
        var again = await server.Anonymous().PostAsync("/v1/sandbox/init", new { email = op.Email, password = op.Password, authKeyId = "k", authKey = "s" });
        again.ShouldBe(HttpStatusCode.Created).Str("operatorId").ShouldNotBe(operatorId);
        var fresh = server.Anonymous().WithCredentials(again.Str("apiKey"), again.Str("token"), again.Str("operatorId"));
        (await fresh.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Delete_AnotherOrUnknownOperator_Is400AndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (otherSimId, _) = await other.RegisterSimAsync();

        var foreign = (await op.DeleteAsync($"/v1/sandbox/operators/{other.OperatorId}")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        var unknown = (await op.DeleteAsync("/v1/sandbox/operators/OP0000000000")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        foreign.Str("message").Replace(other.OperatorId!, "X", StringComparison.Ordinal).ShouldBe(unknown.Str("message").Replace("OP0000000000", "X", StringComparison.Ordinal));
        (await server.Anonymous().DeleteAsync($"/v1/sandbox/operators/{other.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");

        (await other.GetAsync($"/v1/sims/{otherSimId}")).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await server.Anonymous().PostAsync("/v1/auth", new { email = other.Email, password = other.Password })).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class SandboxDeleteOperatorTests_Sqlite(SqliteServer server) : SandboxDeleteOperatorTests(server), IClassFixture<SqliteServer>;

public sealed class SandboxDeleteOperatorTests_Postgres(PostgresServer server) : SandboxDeleteOperatorTests(server), IClassFixture<PostgresServer>;
