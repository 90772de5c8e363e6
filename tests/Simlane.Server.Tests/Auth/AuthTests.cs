using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Auth;

public abstract class AuthTests(ServerFixture server)
{
    [Fact]
    public async Task Auth_WithEmailAndPassword_ReturnsWorkingCredentials()
    {
        var op = await server.NewOperatorAsync();
        var response = await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password });
        response.ShouldBe(HttpStatusCode.OK);
        response.Str("operatorId").ShouldBe(op.OperatorId);
        response.Str("apiKey").ShouldStartWith("api-");

        var signedIn = server.Anonymous().WithCredentials(response.Str("apiKey"), response.Str("token"));
        (await signedIn.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK).Str("email").ShouldBe(op.Email);
    }

    [Fact]
    public async Task Auth_WrongPassword_Answers401()
    {
        var op = await server.NewOperatorAsync();
        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = "wrong" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        (await server.Anonymous().PostAsync("/v1/auth", new { email = "nobody@example.com", password = "x" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"email\":\"a@example.com\"}")]
    [InlineData("{\"authKeyId\":\"keyId-x\"}")]
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"p\",\"authKeyId\":\"k\",\"authKey\":\"s\"}")]
    public async Task Auth_WithoutOneCompleteCredentialForm_Answers400(string body)
    {
        (await server.Anonymous().SendRawAsync(HttpMethod.Post, "/v1/auth", body)).ShouldBe(HttpStatusCode.BadRequest, "AUM0007");
    }

    [Theory]
    [InlineData(179)]
    [InlineData(172801)]
    public async Task Auth_TokenTimeoutOutOfRange_Answers400(int seconds)
    {
        var op = await server.NewOperatorAsync();
        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password, tokenTimeoutSeconds = seconds }))
            .ShouldBe(HttpStatusCode.BadRequest, "AUM0008");
    }

    [Fact]
    public async Task Auth_TokenExpires_AfterItsTimeout()
    {
        var op = await server.NewOperatorAsync();
        var response = await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password, tokenTimeoutSeconds = 180 });
        var client = server.Anonymous().WithCredentials(response.Str("apiKey"), response.Str("token"), op.OperatorId);
        (await client.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);

        server.Clock.Advance(TimeSpan.FromSeconds(181));
        (await client.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task Logout_RevokesTheKeyAndToken()
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync("/v1/auth/logout")).ShouldBe(HttpStatusCode.NoContent);
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task AnyCall_WithoutHeaders_Answers401()
    {
        (await server.Anonymous().GetAsync("/v1/sims/123")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
        var op = await server.NewOperatorAsync();
        (await server.Anonymous().WithCredentials(op.ApiKey!, "tok-wrong").GetAsync("/v1/sims/123")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task AuthKeys_GenerateAuthenticateListDelete()
    {
        var op = await server.NewOperatorAsync();
        var generated = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        var keyId = generated.Str("authKeyId");
        var secret = generated.Str("authKey");
        keyId.ShouldStartWith("keyId-");
        secret.ShouldStartWith("secret-");

        var byKey = await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = keyId, authKey = secret });
        byKey.ShouldBe(HttpStatusCode.OK).Str("operatorId").ShouldBe(op.OperatorId);
        (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = keyId, authKey = secret + "x" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");

        var list = (await op.GetAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.OK).Array;
        list.Count.ShouldBe(1);
        list[0]!["authKeyId"]!.GetValue<string>().ShouldBe(keyId);
        list[0]!["lastUsedDateTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeSeconds());
        list[0]!.AsObject().ContainsKey("authKey").ShouldBeFalse();

        (await op.DeleteAsync($"/v1/operators/{op.OperatorId}/auth_keys/{keyId}")).ShouldBe(HttpStatusCode.NoContent);
        (await op.DeleteAsync($"/v1/operators/{op.OperatorId}/auth_keys/{keyId}")).ShouldBe(HttpStatusCode.NotFound, "AUM0011");
        (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = keyId, authKey = secret })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0005");
    }

    [Fact]
    public async Task OperatorRoutes_ForAnotherOperator_AnswerLikeAnUnknownId()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var foreign = await alice.GetAsync($"/v1/operators/{bob.OperatorId}");
        var unknown = await alice.GetAsync("/v1/operators/OP0000000000");
        foreign.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        unknown.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        foreign.Text.Replace(bob.OperatorId!, "X", StringComparison.Ordinal).ShouldBe(unknown.Text.Replace("OP0000000000", "X", StringComparison.Ordinal));
        (await alice.PostAsync($"/v1/operators/{bob.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
    }

    [Fact]
    public async Task GenerateAuthToken_KeepsTheCurrentTokenUntilItsOwnExpiry()
    {
        var op = await server.NewOperatorAsync();
        var signIn = (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password, tokenTimeoutSeconds = 600 })).ShouldBe(HttpStatusCode.OK);
        var old = server.Anonymous().WithCredentials(signIn.Str("apiKey"), signIn.Str("token"), op.OperatorId);

        var generated = (await old.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 3600 })).ShouldBe(HttpStatusCode.OK);
        var renewed = old.WithCredentials(old.ApiKey!, generated.Str("token"));
        generated.Str("token").ShouldNotBe(old.Token);
        (await renewed.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await old.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);

        // A token belongs to the API key it was generated for.
        (await op.WithCredentials(op.ApiKey!, generated.Str("token")).GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");

        server.Clock.Advance(TimeSpan.FromSeconds(601));
        (await old.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
        (await renewed.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);

        server.Clock.Advance(TimeSpan.FromSeconds(3000));
        (await renewed.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task GenerateAuthToken_BadTimeoutOrForeignOperator_Answers400AndIssuesNothing()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        (await op.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 10 })).ShouldBe(HttpStatusCode.BadRequest, "AUM0008");
        (await op.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = "x" })).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.PostAsync($"/v1/operators/{other.OperatorId}/token", new { tokenTimeoutSeconds = 600 })).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_RevokesEveryTokenOfTheKey()
    {
        var op = await server.NewOperatorAsync();
        var generated = (await op.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 600 })).ShouldBe(HttpStatusCode.OK);
        var renewed = op.WithCredentials(op.ApiKey!, generated.Str("token"));
        (await op.PostAsync("/v1/auth/logout")).ShouldBe(HttpStatusCode.NoContent);
        (await renewed.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task RevokeOperatorAuthTokens_EndsEveryKeyAndTokenOfTheOperatorOnly()
    {
        var op = await server.NewOperatorAsync();
        var bystander = await server.NewOperatorAsync();
        var byPassword = await SignInAsync(op);
        var key = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        var byKeyResponse = (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = key.Str("authKeyId"), authKey = key.Str("authKey") })).ShouldBe(HttpStatusCode.OK);
        var byKey = server.Anonymous().WithCredentials(byKeyResponse.Str("apiKey"), byKeyResponse.Str("token"), op.OperatorId);
        var generated = (await op.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 600 })).ShouldBe(HttpStatusCode.OK);
        var renewed = op.WithCredentials(op.ApiKey!, generated.Str("token"));

        (await op.DeleteAsync($"/v1/operators/{op.OperatorId}/tokens")).ShouldBe(HttpStatusCode.NoContent);

        foreach (var client in new[] { op, renewed, byPassword, byKey })
        {
            (await client.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
        }

        (await bystander.GetAsync($"/v1/operators/{bystander.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        var again = await SignInAsync(op);
        (await again.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = key.Str("authKeyId"), authKey = key.Str("authKey") })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokeOperatorAuthTokens_ForeignOperator_LooksLikeAnUnknownOneAndRevokesNothing()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var foreign = await alice.DeleteAsync($"/v1/operators/{bob.OperatorId}/tokens");
        var unknown = await alice.DeleteAsync("/v1/operators/OP0000000000/tokens");
        foreign.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        unknown.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        foreign.Text.Replace(bob.OperatorId!, "X", StringComparison.Ordinal).ShouldBe(unknown.Text.Replace("OP0000000000", "X", StringComparison.Ordinal));
        (await bob.GetAsync($"/v1/operators/{bob.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await alice.GetAsync($"/v1/operators/{alice.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await server.Anonymous().DeleteAsync($"/v1/operators/{bob.OperatorId}/tokens")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
    }

    [Fact]
    public async Task UpdateOperatorPassword_ChangesThePasswordAndEndsOtherPasswordSessions()
    {
        var op = await server.NewOperatorAsync();
        var otherPasswordSession = await SignInAsync(op);
        var key = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
        var byKeyResponse = (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = key.Str("authKeyId"), authKey = key.Str("authKey") })).ShouldBe(HttpStatusCode.OK);
        var byKey = server.Anonymous().WithCredentials(byKeyResponse.Str("apiKey"), byKeyResponse.Str("token"), op.OperatorId);
        const string NewPassword = "a new Passw0rd, longer";

        var changed = await op.PostAsync($"/v1/operators/{op.OperatorId}/password", new { currentPassword = op.Password, newPassword = NewPassword });
        changed.ShouldBe(HttpStatusCode.OK);

        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = NewPassword })).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await byKey.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await otherPasswordSession.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");

        await using var scope = server.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var stored = (await db.Operators.AsNoTracking().SingleAsync(o => o.OperatorId == op.OperatorId)).PasswordHash!;
        stored.ShouldStartWith("pbkdf2-sha256$");
        stored.ShouldNotContain(NewPassword);
    }

    public static TheoryData<string, string> BadPasswordBodies => new()
    {
        { """{"currentPassword":"wrong-password","newPassword":"a-fine-new-one"}""", "AUM0013" },
        { """{"currentPassword":"correct-horse-battery","newPassword":"short12"}""", "AUM0014" },
        { "{\"currentPassword\":\"correct-horse-battery\",\"newPassword\":\"" + new string('x', 101) + "\"}", "AUM0014" },
        { """{"currentPassword":"correct-horse-battery","newPassword":"tab\there-inside"}""", "AUM0014" },
        { """{"currentPassword":"correct-horse-battery","newPassword":"nul\u0000inside-it"}""", "COM0004" },
        { """{"currentPassword":"correct-horse-battery"}""", "COM0002" },
        { """{"newPassword":"a-fine-new-one"}""", "COM0002" },
        { """{"currentPassword":"","newPassword":"a-fine-new-one"}""", "COM0002" },
        { "", "COM0002" },
        { """{"currentPassword":"correct-horse-battery","newPassword":12345678}""", "COM0001" },
        { """{"currentPassword":""", "COM0001" },
    };

    [Theory]
    [MemberData(nameof(BadPasswordBodies))]
    public async Task UpdateOperatorPassword_BadRequest_Answers400AndChangesNothing(string body, string code)
    {
        var op = await server.NewOperatorAsync();
        var otherPasswordSession = await SignInAsync(op);
        op.Password.ShouldBe("correct-horse-battery");

        (await op.SendRawAsync(HttpMethod.Post, $"/v1/operators/{op.OperatorId}/password", body)).ShouldBe(HttpStatusCode.BadRequest, code);

        (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);
        (await otherPasswordSession.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UpdateOperatorPassword_ForeignOperator_LooksLikeAnUnknownOneAndChangesNothing()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var body = new { currentPassword = bob.Password, newPassword = "taken-over-account" };
        var foreign = await alice.PostAsync($"/v1/operators/{bob.OperatorId}/password", body);
        var unknown = await alice.PostAsync("/v1/operators/OP0000000000/password", body);
        foreign.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        unknown.ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        foreign.Text.Replace(bob.OperatorId!, "X", StringComparison.Ordinal).ShouldBe(unknown.Text.Replace("OP0000000000", "X", StringComparison.Ordinal));
        (await server.Anonymous().PostAsync("/v1/auth", new { email = bob.Email, password = bob.Password })).ShouldBe(HttpStatusCode.OK);
        (await server.Anonymous().PostAsync("/v1/auth", new { email = bob.Email, password = "taken-over-account" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
    }

    private async Task<ApiClient> SignInAsync(ApiClient op)
    {
        var response = (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);
        return server.Anonymous().WithCredentials(response.Str("apiKey"), response.Str("token"), op.OperatorId);
    }

    [Fact]
    public async Task SandboxInit_DuplicateEmail_Answers400()
    {
        var op = await server.NewOperatorAsync();
        (await server.Anonymous().PostAsync("/v1/sandbox/init", new { email = op.Email.ToUpperInvariant(), password = "x", authKeyId = "k", authKey = "s" }))
            .ShouldBe(HttpStatusCode.BadRequest, "AUM0003");
        (await server.Anonymous().PostAsync("/v1/sandbox/init", new { email = "not-an-email", password = "x", authKeyId = "k", authKey = "s" }))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0008");
        (await server.Anonymous().PostAsync("/v1/sandbox/init", new { email = "x@example.com", password = "x" }))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0002");
    }
}

public sealed class AuthTests_Sqlite(SqliteServer server) : AuthTests(server), IClassFixture<SqliteServer>;

public sealed class AuthTests_Postgres(PostgresServer server) : AuthTests(server), IClassFixture<PostgresServer>;
