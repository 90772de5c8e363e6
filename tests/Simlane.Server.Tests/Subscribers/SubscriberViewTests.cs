using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Sims;

namespace Simlane.Server.Tests.Subscribers;

/// <summary>The IMSI-centric Subscriber view and its duplicated legacy fields.</summary>
public abstract class SubscriberViewTests(ServerFixture server)
{
    [Fact]
    public async Task GetSubscriber_LegacyFields_EqualTheirModernTwins()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(3));
        (await sim.PostAsync("subscribers", "update_speed_class", new { speedClass = "s1.4xfast" })).ShouldBe(HttpStatusCode.OK);

        var view = (await op.GetAsync($"/v1/subscribers/{sim.Imsi}")).ShouldBe(HttpStatusCode.OK).Json;
        view["speedClass"]!.GetValue<string>().ShouldBe("s1.4xfast");
        view["type"]!.GetValue<string>().ShouldBe(view["speedClass"]!.GetValue<string>());
        view["createdAt"]!.GetValue<long>().ShouldBe(view["createdTime"]!.GetValue<long>());
        view["lastModifiedAt"]!.GetValue<long>().ShouldBe(view["lastModifiedTime"]!.GetValue<long>());
        view["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        view["createdTime"]!.GetValue<long>().ShouldBe(server.NowMs() - 180_000);
        view["expiryTime"].ShouldBeNull();
        view["expiredAt"].ShouldBeNull();
        view["plan"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task GetSubscriber_ExpirySet_ExpiredAtEqualsExpiryTime()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var expiry = server.NowMs() + 86_400_000;

        // No expiry route exists yet; the value is written where the expiry feature will write it.
        await using (var db = server.OpenDb())
        {
            var stored = await db.Sims.SingleAsync(s => s.SimId == sim.SimId);
            stored.ExpiryTime = expiry;
            stored.ExpiryAction = "doNothing";
            await db.SaveChangesAsync();
        }

        var view = (await op.GetAsync($"/v1/subscribers/{sim.Imsi}")).ShouldBe(HttpStatusCode.OK).Json;
        view["expiryTime"]!.GetValue<long>().ShouldBe(expiry);
        view["expiredAt"]!.GetValue<long>().ShouldBe(expiry);
        view["expiryAction"]!.GetValue<string>().ShouldBe("doNothing");
        (await sim.GetAsync()).Json["expiryTime"]!.GetValue<long>().ShouldBe(expiry);
    }

    [Theory]
    [InlineData("activate", null)]
    [InlineData("enable_termination", null)]
    [InlineData("update_speed_class", "s1.slow")]
    public async Task SubscriberActions_AnswerSubscriberViewWithLegacyFields(string action, string? speedClass)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromSeconds(7));

        var view = (await sim.PostAsync("subscribers", action, speedClass is null ? null : new { speedClass })).ShouldBe(HttpStatusCode.OK).Json;
        view["imsi"]!.GetValue<string>().ShouldBe(sim.Imsi);
        view["type"]!.GetValue<string>().ShouldBe(view["speedClass"]!.GetValue<string>());
        view["lastModifiedAt"]!.GetValue<long>().ShouldBe(server.NowMs());
        view["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        view["createdAt"]!.GetValue<long>().ShouldBe(view["createdTime"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetSubscriber_PlanWithoutSms_HasPlanZero()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync("plan-D");
        (await op.GetAsync($"/v1/subscribers/{sim.Imsi}")).ShouldBe(HttpStatusCode.OK).Json["plan"]!.GetValue<int>().ShouldBe(0);
    }
}

public sealed class SubscriberViewTests_Sqlite(SqliteServer server) : SubscriberViewTests(server), IClassFixture<SqliteServer>;

public sealed class SubscriberViewTests_Postgres(PostgresServer server) : SubscriberViewTests(server), IClassFixture<PostgresServer>;
