using System.Net;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.TestSupport;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// Ingest resolves IMSIs from an in-memory directory (issue 14, decision S64), kept current by the SIM change events: a change
/// committed by another server on the same database is seen by the next batch, as a query would have seen it.
/// </summary>
public abstract class ImsiDirectoryTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task ASpeedClassChangedOnAnotherServer_CountsForTheNextBatchHere()
    {
        // The first batch puts the SIM (s1.standard) in A's directory.
        var (a, b, op, opOnB, gatewayA, imsi, now) = await TwoServersWithTrafficAsync();
        using var serverA = a;
        using var serverB = b;
        (await opOnB.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        (await gatewayA.PostUsageAsync(UsageTestHelpers.Record(imsi, now - 10, 2, 20))).ShouldBe(HttpStatusCode.OK);

        var day = (await op.StatsAsync($"subscribers/{imsi}", now, now, "day")).Single()!["dataTrafficStatsMap"]!.AsObject();
        day.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value!["downloadByteSizeTotal"]!.GetValue<long>()}").ToList()
            .ShouldBe(["s1.fast=20", "s1.standard=10"], "the second batch counts for the speed class B set");
    }

    [Fact]
    public async Task AnOperatorDeletedOnAnotherServer_HasNoImsiHereAnyMore()
    {
        var (a, b, op, opOnB, gatewayA, imsi, now) = await TwoServersWithTrafficAsync();
        using var serverA = a;
        using var serverB = b;

        // The sandbox's operator deletion removes the SIMs without events: it moves the directory's stamp instead.
        (await opOnB.DeleteAsync($"/v1/sandbox/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        var refused = (await gatewayA.PostUsageAsync(UsageTestHelpers.Record(imsi, now - 10, 2, 20))).ShouldBe(HttpStatusCode.BadRequest);
        refused.Json["message"]!.GetValue<string>().ShouldContain($"unknown IMSI '{imsi}'");
    }

    /// <summary>Servers A and B on one database, an operator with one SIM, and one batch of its traffic acknowledged by A.</summary>
    private async Task<(ServerProcess A, ServerProcess B, ApiClient Op, ApiClient OpOnB, ApiClient GatewayA, string Imsi, long Now)> TwoServersWithTrafficAsync()
    {
        var a = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey);
        var b = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey);
        var op = await a.Client().SignUpAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var gatewayA = a.GatewayClient();
        var now = await op.NowMsAsync() / 1000;
        (await gatewayA.PostUsageAsync(UsageTestHelpers.Record(imsi, now - 20, 1, 10))).ShouldBe(HttpStatusCode.OK);
        return (a, b, op, b.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId), gatewayA, imsi, now);
    }
}

public sealed class ImsiDirectoryTests_Sqlite() : ImsiDirectoryTests(DatabaseKind.Sqlite);

public sealed class ImsiDirectoryTests_Postgres() : ImsiDirectoryTests(DatabaseKind.Postgres);
