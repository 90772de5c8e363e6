using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// Error messages follow <c>X-Soracom-Lang</c>: Japanese for <c>ja</c>, English without the header, for <c>en</c>
/// and for any other value; the code and status never change. One representative error per area, each with
/// the specifics (field, value, ID) kept in both languages.
/// </summary>
public abstract class LocalizedErrorTests(ServerFixture server)
{
    private static readonly string?[] Languages = [null, "en", "fr", "ja", "ja-JP"];

    /// <summary>A client that sends <paramref name="language"/> as X-Soracom-Lang, signed in as <paramref name="op"/> if given.</summary>
    private ApiClient Client(ApiClient? op, string? language)
    {
        var http = server.Factory.CreateDefaultClient(new ContractValidatingHandler());
        if (language is not null)
        {
            http.DefaultRequestHeaders.Add("X-Soracom-Lang", language);
        }

        var client = new ApiClient(http);
        return op?.ApiKey is null ? client : client.WithCredentials(op.ApiKey, op.Token!, op.OperatorId);
    }

    /// <summary>Sends the same failing request in every language and checks code, status and message.</summary>
    private async Task ShouldAnswerAsync(ApiClient? op, Func<ApiClient, Task<ApiResponse>> call, HttpStatusCode status, string code, string english, string japanese)
    {
        foreach (var language in Languages)
        {
            var response = (await call(Client(op, language))).ShouldBe(status, code);
            response.Str("message").ShouldBe(language is "ja" or "ja-JP" ? japanese : english, $"X-Soracom-Lang: {language ?? "(none)"}");
            response.Text.ShouldNotContain("\\u3", Case.Insensitive, "Japanese travels as UTF-8 text, not as \\u escapes");
        }
    }

    [Fact]
    public async Task Authentication_Errors()
    {
        await ShouldAnswerAsync(null, c => c.GetAsync("/v1/sims"), HttpStatusCode.Unauthorized, "AUM0001",
            "X-Soracom-API-Key and X-Soracom-Token are required", "X-Soracom-API-Key と X-Soracom-Token を指定してください");
        await ShouldAnswerAsync(null, c => c.PostAsync("/v1/auth", new { email = "nobody@example.com", password = "wrong" }), HttpStatusCode.Unauthorized, "AUM0002",
            "Invalid email address or password", "メールアドレスまたはパスワードが正しくありません");
    }

    [Fact]
    public async Task RequestShape_Errors()
    {
        var op = await server.NewOperatorAsync();
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/sims?limit=0"), HttpStatusCode.BadRequest, "COM0007",
            "limit: must be an integer from 1 to 100, not '0'", "limit: 1 から 100 までの整数を指定してください ('0' は指定できません)");
        await ShouldAnswerAsync(op, c => c.SendRawAsync(HttpMethod.Post, "/v1/groups", "{\"tags\":"), HttpStatusCode.BadRequest, "COM0001",
            "The request body is not valid JSON", "リクエストボディが正しい JSON ではありません");
        await ShouldAnswerAsync(op, c => c.PostAsync("/v1/sandbox/init", new { email = "x@example.com", password = "p" }), HttpStatusCode.BadRequest, "COM0002",
            "authKeyId is required", "authKeyId は必須です");
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/no_such_api"), HttpStatusCode.NotFound, "COM0009",
            "No such API", "指定された API は存在しません");
    }

    [Fact]
    public async Task Sim_Errors()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/sims/8942310000000000000"), HttpStatusCode.NotFound, "SEM0001",
            "No SIM '8942310000000000000'", "SIM '8942310000000000000' は存在しません");
        await ShouldAnswerAsync(op, c => c.PostAsync($"/v1/sims/{simId}/terminate"), HttpStatusCode.BadRequest, "SEM0004",
            "Cannot change status from ready to terminated: Termination protection is on; call enable_termination first",
            "ステータスを ready から terminated に変更できません: 解約保護が有効です。先に enable_termination を呼び出してください");
        await ShouldAnswerAsync(op, c => c.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = 4102444800000, expiryAction = "explode" }), HttpStatusCode.BadRequest, "COM0004",
            "expiryAction: 'explode' is not one of doNothing, deleteSession, deactivate, suspend, terminate",
            "expiryAction: 'explode' は指定できません。doNothing, deleteSession, deactivate, suspend, terminate のいずれかを指定してください");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("ready");
    }

    [Fact]
    public async Task Group_Handler_Billing_Credential_Errors()
    {
        var op = await server.NewOperatorAsync();
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/groups/no-such-group"), HttpStatusCode.NotFound, "GRM0001",
            "No group 'no-such-group'", "グループ 'no-such-group' は存在しません");
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/event_handlers/no-such-handler"), HttpStatusCode.NotFound, "EHM0001",
            "No event handler 'no-such-handler'", "イベントハンドラー 'no-such-handler' は存在しません");
        await ShouldAnswerAsync(op, c => c.GetAsync("/v1/bills/2026"), HttpStatusCode.BadRequest, "BIL0001",
            "'2026' is not a month in the form yyyyMM", "'2026' は yyyyMM 形式の月ではありません");
        await ShouldAnswerAsync(op, c => c.DeleteAsync("/v1/credentials/no-such-set"), HttpStatusCode.NotFound, "CRD0001",
            "No credential set 'no-such-set'", "認証情報セット 'no-such-set' は存在しません");
    }

    [Fact]
    public async Task Gateway_And_Sandbox_Errors()
    {
        var op = await server.NewOperatorAsync();
        await ShouldAnswerAsync(null, c => c.PostAsync("/v1/gateway/usage", new { records = Array.Empty<object>() }), HttpStatusCode.Unauthorized, "GTW0001",
            "X-Simlane-Gateway-Key is missing or wrong", "X-Simlane-Gateway-Key が指定されていないか、正しくありません");
        await ShouldAnswerAsync(op, c => c.PostAsync("/v1/sandbox/clock", new { advanceSeconds = -1 }), HttpStatusCode.BadRequest, "SBX1010",
            "advanceSeconds must not be negative", "advanceSeconds に負の値は指定できません");
    }
}

public sealed class LocalizedErrorTests_Sqlite(SqliteServer server) : LocalizedErrorTests(server), IClassFixture<SqliteServer>;

public sealed class LocalizedErrorTests_Postgres(PostgresServer server) : LocalizedErrorTests(server), IClassFixture<PostgresServer>;
