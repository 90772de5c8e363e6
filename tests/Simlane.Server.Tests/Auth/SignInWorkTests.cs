using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Auth;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Auth;

/// <summary>
/// <c>POST /v1/auth</c> does the same work whether or not the email or auth key ID exists, so its timing does
/// not reveal accounts. Checked by behaviour, not by timing: the server's <see cref="SignInVerifier"/> counts the
/// secret verifications and PBKDF2 iterations each sign-in ran. Its own class: the counters are the server's.
/// Test servers hash at <see cref="TestSettings.PasswordHashIterations"/>, so that is what every outcome runs.
/// </summary>
public abstract class SignInWorkTests(ServerFixture server)
{
    private SignInVerifier Verifier => server.Factory.Services.GetRequiredService<SignInVerifier>();

    /// <summary>The verifications and iterations <paramref name="signIn"/> ran, and its answer.</summary>
    private async Task<(long Verifications, long Iterations, ApiResponse Response)> WorkOfAsync(object signIn)
    {
        var (verifications, iterations) = (Verifier.Verifications, Verifier.Iterations);
        var response = await server.Anonymous().PostAsync("/v1/auth", signIn);
        return (Verifier.Verifications - verifications, Verifier.Iterations - iterations, response);
    }

    [Fact]
    public async Task Auth_EmailAndPassword_UnknownEmailRunsTheSameWorkAsAKnownOne()
    {
        var op = await server.NewOperatorAsync();

        var known = await WorkOfAsync(new { email = op.Email, password = op.Password });
        var wrongPassword = await WorkOfAsync(new { email = op.Email, password = op.Password + "x" });
        var unknownEmail = await WorkOfAsync(new { email = "nobody-" + Guid.NewGuid().ToString("N") + "@example.com", password = op.Password });

        known.Response.ShouldBe(HttpStatusCode.OK);
        (known.Verifications, known.Iterations).ShouldBe((1L, (long)TestSettings.PasswordHashIterations));
        (wrongPassword.Verifications, wrongPassword.Iterations).ShouldBe((known.Verifications, known.Iterations));
        (unknownEmail.Verifications, unknownEmail.Iterations).ShouldBe((known.Verifications, known.Iterations));

        // Both failures answer the same: nothing tells which part was wrong.
        wrongPassword.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        unknownEmail.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        unknownEmail.Response.Text.ShouldBe(wrongPassword.Response.Text);
    }

    [Fact]
    public async Task Auth_AuthKey_UnknownAuthKeyIdRunsTheSameWorkAsAKnownOne()
    {
        var op = await server.NewOperatorAsync();
        var generated = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        var (keyId, secret) = (generated.Str("authKeyId"), generated.Str("authKey"));

        var known = await WorkOfAsync(new { authKeyId = keyId, authKey = secret });
        var wrongSecret = await WorkOfAsync(new { authKeyId = keyId, authKey = secret + "x" });
        var unknownId = await WorkOfAsync(new { authKeyId = "keyId-" + Guid.NewGuid().ToString("N"), authKey = secret });

        known.Response.ShouldBe(HttpStatusCode.OK);
        (known.Verifications, known.Iterations).ShouldBe((1L, (long)TestSettings.PasswordHashIterations));
        (wrongSecret.Verifications, wrongSecret.Iterations).ShouldBe((known.Verifications, known.Iterations));
        (unknownId.Verifications, unknownId.Iterations).ShouldBe((known.Verifications, known.Iterations));

        wrongSecret.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");
        unknownId.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");
        unknownId.Response.Text.ShouldBe(wrongSecret.Response.Text);
    }

    [Fact]
    public async Task Auth_DeletedAuthKey_RunsTheSameWorkAndAnswersLikeAnUnknownOne()
    {
        var op = await server.NewOperatorAsync();
        var generated = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        (await op.DeleteAsync($"/v1/operators/{op.OperatorId}/auth_keys/{generated.Str("authKeyId")}")).ShouldBe(HttpStatusCode.NoContent);

        var deleted = await WorkOfAsync(new { authKeyId = generated.Str("authKeyId"), authKey = generated.Str("authKey") });

        (deleted.Verifications, deleted.Iterations).ShouldBe((1L, (long)TestSettings.PasswordHashIterations));
        deleted.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");
    }
}

public sealed class SignInWorkTests_Sqlite(SqliteServer server) : SignInWorkTests(server), IClassFixture<SqliteServer>;

public sealed class SignInWorkTests_Postgres(PostgresServer server) : SignInWorkTests(server), IClassFixture<PostgresServer>;
