using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>The README walkthrough: protection blocks termination until switched off; termination is final.</summary>
public abstract class TerminationWalkthroughTests(ServerFixture server)
{
    [Fact]
    public async Task Terminate_IsRefusedUntilProtectionIsOff_ThenFinal()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();

        sim.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();
        var simId = sim.Str("simId");

        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0004");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("ready");

        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");

        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
    }
}

public sealed class TerminationWalkthroughTests_Sqlite(SqliteServer server) : TerminationWalkthroughTests(server), IClassFixture<SqliteServer>;

public sealed class TerminationWalkthroughTests_Postgres(PostgresServer server) : TerminationWalkthroughTests(server), IClassFixture<PostgresServer>;
