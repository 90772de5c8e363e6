using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Actions;

/// <summary><c>POST /v1/operators/{operator_id}/webhook_secret</c>: rotation, scoping to the caller's operator.</summary>
public abstract class WebhookSecretApiTests(ServerFixture server)
{
    private async Task<string?> StoredAsync(string operatorId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.WebhookSecrets.AsNoTracking().Where(s => s.OperatorId == operatorId).Select(s => s.ProtectedSecret).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Rotate_AnswersANewSecretEachTime_OnlyOnce_AndStoresItEncrypted()
    {
        var op = await server.NewOperatorAsync();

        var first = (await op.PostAsync($"/v1/operators/{op.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.OK);
        var second = (await op.PostAsync($"/v1/operators/{op.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.OK);

        first.Json.AsObject().Select(p => p.Key).ShouldBe(["secret"]);
        first.Header("Cache-Control").ShouldBe("no-store");
        var secret = second.Str("secret");
        secret.ShouldMatch("^whsec_[A-Za-z0-9_-]{43}$");
        first.Str("secret").ShouldNotBe(secret);
        var stored = await StoredAsync(op.OperatorId!);
        stored.ShouldNotBeNull();
        stored.ShouldNotContain(secret["whsec_".Length..]);
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK).Text.ShouldNotContain(secret);
    }

    [Fact]
    public async Task Rotate_ForAnotherOperator_AnswersLikeAnUnknownId_AndChangesNothing()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        (await bob.PostAsync($"/v1/operators/{bob.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.OK);
        var before = await StoredAsync(bob.OperatorId!);

        var foreign = (await alice.PostAsync($"/v1/operators/{bob.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        var unknown = (await alice.PostAsync("/v1/operators/OP0000000000/webhook_secret")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");

        foreign.Text.Replace(bob.OperatorId!, "X", StringComparison.Ordinal).ShouldBe(unknown.Text.Replace("OP0000000000", "X", StringComparison.Ordinal));
        (await StoredAsync(bob.OperatorId!)).ShouldBe(before);
        (await StoredAsync(alice.OperatorId!)).ShouldBeNull();
        (await StoredAsync("OP0000000000")).ShouldBeNull();
    }

    [Fact]
    public async Task Rotate_WithoutCredentials_Answers401()
    {
        var op = await server.NewOperatorAsync();

        (await server.Anonymous().PostAsync($"/v1/operators/{op.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");

        (await StoredAsync(op.OperatorId!)).ShouldBeNull();
    }
}

public sealed class WebhookSecretApiTests_Sqlite(SqliteServer server) : WebhookSecretApiTests(server), IClassFixture<SqliteServer>;

public sealed class WebhookSecretApiTests_Postgres(PostgresServer server) : WebhookSecretApiTests(server), IClassFixture<PostgresServer>;
