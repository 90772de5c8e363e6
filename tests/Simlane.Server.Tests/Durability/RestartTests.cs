using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// "A restart of the server loses nothing that the API acknowledged": the real server process is killed
/// (no graceful shutdown) right after its answers, restarted on the same database, and every change it
/// acknowledged must be there.
/// </summary>
public abstract class RestartTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task Kill_ThenRestart_KeepsEveryAcknowledgedChange()
    {
        ApiClient op;
        string active, suspended, terminated, tagged, keyId, keySecret, inventoryImsi, inventorySecret;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString))
        {
            op = await first.Client().SignUpAsync();
            active = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{active}/activate")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{active}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);

            suspended = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{suspended}/activate")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{suspended}/suspend")).ShouldBe(HttpStatusCode.OK);

            terminated = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{terminated}/enable_termination")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{terminated}/terminate")).ShouldBe(HttpStatusCode.OK);

            tagged = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PutAsync($"/v1/sims/{tagged}/tags", new[] { new { tagName = "name", tagValue = "meter-7" }, new { tagName = "site", tagValue = "Kyoto" } }))
                .ShouldBe(HttpStatusCode.OK);
            (await op.DeleteAsync($"/v1/sims/{tagged}/tags/site")).ShouldBe(HttpStatusCode.NoContent);

            var key = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
            (keyId, keySecret) = (key.Str("authKeyId"), key.Str("authKey"));
            var inventory = await op.CreateSandboxSubscriberAsync();
            (inventoryImsi, inventorySecret) = (inventory.Str("imsi"), inventory.Str("registrationSecret"));

            first.Kill();
        }

        using var second = await ServerProcess.StartAsync(Database.ConnectionString);
        var again = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);

        var sim = (await again.GetAsync($"/v1/sims/{active}")).ShouldBe(HttpStatusCode.OK);
        sim.Str("status").ShouldBe("active");
        sim.Str("speedClass").ShouldBe("s1.fast");
        (await again.GetAsync($"/v1/sims/{suspended}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("suspended");
        (await again.GetAsync($"/v1/sims/{suspended}/statuses/history")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBeGreaterThanOrEqualTo(2);
        var gone = (await again.GetAsync($"/v1/sims/{terminated}")).ShouldBe(HttpStatusCode.OK);
        gone.Str("status").ShouldBe("terminated");
        gone.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        var tags = (await again.GetAsync($"/v1/sims/{tagged}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!.AsObject();
        tags["name"]!.GetValue<string>().ShouldBe("meter-7");
        tags.ContainsKey("site").ShouldBeFalse();

        (await second.Client().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);
        (await second.Client().PostAsync("/v1/auth", new { authKeyId = keyId, authKey = keySecret })).ShouldBe(HttpStatusCode.OK).Str("operatorId").ShouldBe(op.OperatorId);
        (await again.PostAsync($"/v1/subscribers/{inventoryImsi}/register", new { registrationSecret = inventorySecret })).ShouldBe(HttpStatusCode.Created);
    }
}

public sealed class RestartTests_Sqlite() : RestartTests(DatabaseKind.Sqlite);

public sealed class RestartTests_Postgres() : RestartTests(DatabaseKind.Postgres);
