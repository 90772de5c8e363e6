using System.Net;
using Simlane.Server.Tests.Infrastructure;

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
    public async Task GenerateAuthToken_ReplacesTheToken()
    {
        var op = await server.NewOperatorAsync();
        var renewed = (await op.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 600 })).ShouldBe(HttpStatusCode.OK);
        var client = op.WithCredentials(op.ApiKey!, renewed.Str("token"));
        (await client.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
        (await client.PostAsync($"/v1/operators/{op.OperatorId}/token", new { tokenTimeoutSeconds = 10 })).ShouldBe(HttpStatusCode.BadRequest, "AUM0008");
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
