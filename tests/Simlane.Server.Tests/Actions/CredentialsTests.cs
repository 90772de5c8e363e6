using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Actions;

/// <summary><c>/v1/credentials</c>: create, list, update, delete; secrets encrypted at rest and never answered.</summary>
public abstract class CredentialsTests(ServerFixture server)
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    public static JsonObject Aws(string accessKeyId = AccessKeyId, string secret = Secret, string? description = "Lambda invoker") => new()
    {
        ["type"] = "aws-credentials",
        ["description"] = description,
        ["credentials"] = new JsonObject { ["accessKeyId"] = accessKeyId, ["secretAccessKey"] = secret },
    };

    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private long NowSeconds => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    private static async Task ShouldHaveNoCredentialsAsync(ApiClient op) =>
        (await op.GetAsync("/v1/credentials")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);

    [Fact]
    public async Task CreateCredential_Aws_Answers201WithoutTheSecretAndListShowsIt()
    {
        var op = await server.NewOperatorAsync();

        var created = (await op.PostAsync("/v1/credentials/my-aws", Aws())).ShouldBe(HttpStatusCode.Created);

        created.Text.ShouldNotContain(Secret);
        created.Json.ToJsonString().ShouldBe(new JsonObject
        {
            ["credentialsId"] = "my-aws",
            ["type"] = "aws-credentials",
            ["credentials"] = new JsonObject { ["accessKeyId"] = AccessKeyId },
            ["createDateTime"] = NowSeconds,
            ["updateDateTime"] = NowSeconds,
            ["lastUsedDateTime"] = 0,
            ["description"] = "Lambda invoker",
        }.ToJsonString());
        var list = (await op.GetAsync("/v1/credentials")).ShouldBe(HttpStatusCode.OK);
        list.Text.ShouldNotContain(Secret);
        list.Array.Count.ShouldBe(1);
        list.Array[0]!.ToJsonString().ShouldBe(created.Json.ToJsonString());
    }

    [Fact]
    public async Task CreateCredential_SecretIsEncryptedAtRest()
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync("/v1/credentials/at-rest", Aws())).ShouldBe(HttpStatusCode.Created);

        await using var db = Db();
        var row = await db.Credentials.SingleAsync(c => c.OperatorId == op.OperatorId && c.CredentialsId == "at-rest");
        row.ProtectedCredentials.ShouldNotContain(Secret);
        row.ProtectedCredentials.ShouldNotContain("wJalrXUtnFEMI");
        row.PublicCredentials.ShouldNotContain(Secret);
        row.PublicCredentials.ShouldBe($"{{\"accessKeyId\":\"{AccessKeyId}\"}}");
    }

    [Fact]
    public async Task CreateCredential_EachSpecType_IsStoredWithOnlyItsNonSecretFieldsAnswered()
    {
        var op = await server.NewOperatorAsync();
        var cases = new (string Id, string Type, JsonObject Credentials, string Shown)[]
        {
            ("azure", "azure-credentials", new JsonObject { ["policyName"] = "send", ["key"] = "azure-secret-key" }, "{\"policyName\":\"send\"}"),
            ("psk", "psk", new JsonObject { ["key"] = "psk-secret-key" }, "{}"),
            ("x509", "x509", new JsonObject { ["cert"] = "-----BEGIN CERTIFICATE-----", ["key"] = "x509-secret-key", ["ca"] = "-----BEGIN CA-----" }, "{}"),
        };
        foreach (var (id, type, credentials, shown) in cases)
        {
            var created = (await op.PostAsync($"/v1/credentials/{id}", new JsonObject { ["type"] = type, ["credentials"] = credentials })).ShouldBe(HttpStatusCode.Created);
            created.Str("type").ShouldBe(type);
            created.Json["credentials"]!.ToJsonString().ShouldBe(shown, id);
            created.Text.ShouldNotContain("secret-key");
            created.Json.AsObject().ContainsKey("description").ShouldBeFalse();
        }

        var list = (await op.GetAsync("/v1/credentials")).ShouldBe(HttpStatusCode.OK);
        list.Array.Select(c => c!["credentialsId"]!.GetValue<string>()).ShouldBe(["azure", "psk", "x509"]);
        list.Text.ShouldNotContain("secret-key");
    }

    [Fact]
    public async Task CreateCredential_UnknownFieldsInTheCredentials_AreNotStored()
    {
        var op = await server.NewOperatorAsync();
        var body = Aws();
        body["credentials"]!["sessionToken"] = "not-kept";
        (await op.PostAsync("/v1/credentials/extra", body)).ShouldBe(HttpStatusCode.Created).Json["credentials"]!.ToJsonString()
            .ShouldBe($"{{\"accessKeyId\":\"{AccessKeyId}\"}}");
    }

    [Fact]
    public async Task CreateCredential_ExistingId_Answers409AndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var first = (await op.PostAsync("/v1/credentials/dup", Aws())).ShouldBe(HttpStatusCode.Created);

        (await op.PostAsync("/v1/credentials/dup", Aws("AKIAOTHEROTHEROTHER0", "other-secret", "second"))).ShouldBe(HttpStatusCode.Conflict, "CRD0002");

        var list = (await op.GetAsync("/v1/credentials")).ShouldBe(HttpStatusCode.OK);
        list.Array.Count.ShouldBe(1);
        list.Array[0]!.ToJsonString().ShouldBe(first.Json.ToJsonString());
    }

    [Fact]
    public async Task CreateCredential_SameIdAsAnotherOperator_IsIndependent()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        (await alice.PostAsync("/v1/credentials/shared-name", Aws())).ShouldBe(HttpStatusCode.Created);

        (await bob.PostAsync("/v1/credentials/shared-name", Aws("AKIABOBBOBBOBBOBBOB0", "bob-secret"))).ShouldBe(HttpStatusCode.Created);

        (await alice.GetAsync("/v1/credentials")).Array[0]!["credentials"]!["accessKeyId"]!.GetValue<string>().ShouldBe(AccessKeyId);
        (await bob.GetAsync("/v1/credentials")).Array[0]!["credentials"]!["accessKeyId"]!.GetValue<string>().ShouldBe("AKIABOBBOBBOBBOBBOB0");
    }

    public static TheoryData<string, string, string, string> BadCreates() => new()
    {
        // id, body, expected code, expected message
        { "ok-id", """{"credentials":{"accessKeyId":"A","secretAccessKey":"S"}}""", "COM0002", "type is required" },
        { "ok-id", """{"type":"aws-credentials"}""", "COM0002", "credentials is required" },
        { "ok-id", """{"type":"aws-credentials","credentials":null}""", "COM0002", "credentials is required" },
        { "ok-id", """{"type":"api-token-credentials","credentials":{"token":"t"}}""", "COM0004", "type: 'api-token-credentials' is not one of aws-credentials, azure-credentials, psk, x509" },
        { "ok-id", """{"type":7,"credentials":{}}""", "COM0004", "type: must be a string" },
        { "ok-id", """{"type":"aws-credentials","description":5,"credentials":{"accessKeyId":"A","secretAccessKey":"S"}}""", "COM0004", "description: must be a string" },
        { "ok-id", """{"type":"aws-credentials","credentials":"AKIA:secret"}""", "CRD0003", "credentials: must be a JSON object" },
        { "ok-id", """{"type":"aws-credentials","credentials":{"accessKeyId":"A"}}""", "CRD0003", "credentials.secretAccessKey: is required for aws-credentials" },
        { "ok-id", """{"type":"aws-credentials","credentials":{"secretAccessKey":"S"}}""", "CRD0003", "credentials.accessKeyId: is required for aws-credentials" },
        { "ok-id", """{"type":"aws-credentials","credentials":{"accessKeyId":"A","secretAccessKey":""}}""", "CRD0003", "credentials.secretAccessKey: must be a non-empty string of at most 16384 characters" },
        { "ok-id", """{"type":"aws-credentials","credentials":{"accessKeyId":1,"secretAccessKey":"S"}}""", "CRD0003", "credentials.accessKeyId: must be a string" },
        { "ok-id", """{"type":"psk","credentials":{}}""", "CRD0003", "credentials.key: is required for psk" },
        { "ok-id", """{"type":"x509","credentials":{"cert":"c"}}""", "CRD0003", "credentials.key: is required for x509" },
        { "ok-id", """{"type":"azure-credentials","credentials":{"key":"k"}}""", "CRD0003", "credentials.policyName: is required for azure-credentials" },
        { "bad%20id", """{"type":"psk","credentials":{"key":"k"}}""", "COM0004", "credentials_id: must be 1 to 100 letters, digits, '_', '.' or '-'" },
        { new string('x', 101), """{"type":"psk","credentials":{"key":"k"}}""", "COM0004", "credentials_id: must be 1 to 100 letters, digits, '_', '.' or '-'" },
        { "ok-id", """[]""", "COM0001", "The request body must be a JSON object" },
        { "ok-id", """{"type":""", "COM0001", "The request body is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateCredential_BadInput_Answers400AndCreatesNothing(string id, string body, string code, string message)
    {
        var op = await server.NewOperatorAsync();

        var response = (await op.SendRawAsync(HttpMethod.Post, $"/v1/credentials/{id}", body)).ShouldBe(HttpStatusCode.BadRequest, code);

        response.Str("message").ShouldBe(message);
        await ShouldHaveNoCredentialsAsync(op);
    }

    [Fact]
    public async Task CreateCredential_TooLongDescriptionOrValue_Answers400()
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync("/v1/credentials/long", Aws(description: new string('d', 1001)))).ShouldBe(HttpStatusCode.BadRequest, "COM0004")
            .Str("message").ShouldBe("description: at most 1000 characters");
        (await op.PostAsync("/v1/credentials/long", Aws(secret: new string('s', 16 * 1024 + 1)))).ShouldBe(HttpStatusCode.BadRequest, "CRD0003");
        (await op.PostAsync("/v1/credentials/long", Aws(description: new string('d', 1000), secret: new string('s', 16 * 1024)))).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateCredential_WithoutAuthentication_Answers401()
    {
        (await server.Anonymous().PostAsync("/v1/credentials/x", Aws())).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
        (await server.Anonymous().GetAsync("/v1/credentials")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
    }

    [Fact]
    public async Task UpdateCredential_ReplacesTypeSecretAndDescription()
    {
        var op = await server.NewOperatorAsync();
        var created = (await op.PostAsync("/v1/credentials/rotate", Aws())).ShouldBe(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(3));

        var updated = (await op.PutAsync("/v1/credentials/rotate", Aws("AKIANEWNEWNEWNEWNEW0", "new-secret", description: null))).ShouldBe(HttpStatusCode.OK);

        updated.Text.ShouldNotContain("new-secret");
        updated.Json["credentials"]!["accessKeyId"]!.GetValue<string>().ShouldBe("AKIANEWNEWNEWNEWNEW0");
        updated.Json.AsObject().ContainsKey("description").ShouldBeFalse();
        updated.Json["createDateTime"]!.GetValue<long>().ShouldBe(created.Json["createDateTime"]!.GetValue<long>());
        updated.Json["updateDateTime"]!.GetValue<long>().ShouldBe(NowSeconds);
        (await op.GetAsync("/v1/credentials")).Array[0]!.ToJsonString().ShouldBe(updated.Json.ToJsonString());

        var psk = (await op.PutAsync("/v1/credentials/rotate", new JsonObject { ["type"] = "psk", ["credentials"] = new JsonObject { ["key"] = "k" } })).ShouldBe(HttpStatusCode.OK);
        psk.Str("type").ShouldBe("psk");
        psk.Json["credentials"]!.ToJsonString().ShouldBe("{}");
    }

    [Fact]
    public async Task UpdateCredential_BadBody_Answers400AndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var created = (await op.PostAsync("/v1/credentials/keep", Aws())).ShouldBe(HttpStatusCode.Created);

        (await op.PutAsync("/v1/credentials/keep", new JsonObject { ["type"] = "aws-credentials", ["credentials"] = new JsonObject { ["accessKeyId"] = "A" } }))
            .ShouldBe(HttpStatusCode.BadRequest, "CRD0003");
        (await op.PutAsync("/v1/credentials/keep", new JsonObject { ["type"] = "aws-credentials" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");

        (await op.GetAsync("/v1/credentials")).Array[0]!.ToJsonString().ShouldBe(created.Json.ToJsonString());
    }

    [Fact]
    public async Task UpdateAndDeleteCredential_UnknownOrForeignId_Answer404Alike()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        (await alice.PostAsync("/v1/credentials/alices", Aws())).ShouldBe(HttpStatusCode.Created);

        var foreignPut = (await bob.PutAsync("/v1/credentials/alices", Aws("AKIABOBBOBBOBBOBBOB0", "bob-secret"))).ShouldBe(HttpStatusCode.NotFound, "CRD0001");
        var missingPut = (await bob.PutAsync("/v1/credentials/nobodys", Aws("AKIABOBBOBBOBBOBBOB0", "bob-secret"))).ShouldBe(HttpStatusCode.NotFound, "CRD0001");
        foreignPut.Str("message").Replace("alices", "ID", StringComparison.Ordinal).ShouldBe(missingPut.Str("message").Replace("nobodys", "ID", StringComparison.Ordinal));
        var foreignDelete = (await bob.DeleteAsync("/v1/credentials/alices")).ShouldBe(HttpStatusCode.NotFound, "CRD0001");
        var missingDelete = (await bob.DeleteAsync("/v1/credentials/nobodys")).ShouldBe(HttpStatusCode.NotFound, "CRD0001");
        foreignDelete.Str("message").Replace("alices", "ID", StringComparison.Ordinal).ShouldBe(missingDelete.Str("message").Replace("nobodys", "ID", StringComparison.Ordinal));
        await ShouldHaveNoCredentialsAsync(bob);

        var kept = (await alice.GetAsync("/v1/credentials")).Array;
        kept.Count.ShouldBe(1);
        kept[0]!["credentials"]!["accessKeyId"]!.GetValue<string>().ShouldBe(AccessKeyId);
    }

    [Fact]
    public async Task DeleteCredential_Answers204AndTheIdCanBeCreatedAgain()
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync("/v1/credentials/gone", Aws())).ShouldBe(HttpStatusCode.Created);

        (await op.DeleteAsync("/v1/credentials/gone")).ShouldBe(HttpStatusCode.NoContent);

        await ShouldHaveNoCredentialsAsync(op);
        (await op.DeleteAsync("/v1/credentials/gone")).ShouldBe(HttpStatusCode.NotFound, "CRD0001");
        (await op.PostAsync("/v1/credentials/gone", Aws())).ShouldBe(HttpStatusCode.Created);
    }
}

public sealed class CredentialsTests_Sqlite(SqliteServer server) : CredentialsTests(server), IClassFixture<SqliteServer>;

public sealed class CredentialsTests_Postgres(PostgresServer server) : CredentialsTests(server), IClassFixture<PostgresServer>;
