using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The statuses the HTTP stack produces before Simlane's handlers (414, 431, 415, 413, a NUL in the path),
/// against the real server process on Kestrel, where the in-process test host does not go: each carries
/// SORACOM's error body (the ContractValidatingHandler of <see cref="ServerProcess"/> checks it).
/// </summary>
public abstract class HttpLimitsTests(DatabaseKind kind)
{
    [Fact]
    public async Task KestrelLevelErrors_CarryTheErrorBody_AndChangeNothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        using var process = await ServerProcess.StartAsync(database.ConnectionString);
        var op = await process.Client().SignUpAsync();

        (await op.GetAsync("/v1/sims/" + new string('s', 10_000))).ShouldBe(HttpStatusCode.RequestUriTooLong, "COM0015");
        (await op.GetAsync("/v1/sims/a%01b")).ShouldBe(HttpStatusCode.BadRequest, "COM0017");
        (await op.GetAsync("/v1/groups?tag_name=a%00&tag_value=b")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.SendRawAsync(HttpMethod.Post, "/v1/groups", "{}", "text/plain")).ShouldBe(HttpStatusCode.UnsupportedMediaType, "COM0006");

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/sims"))
        {
            request.Headers.Add("X-Soracom-API-Key", op.ApiKey);
            request.Headers.Add("X-Soracom-Token", op.Token);
            request.Headers.Add("X-Padding", new string('p', 40_000));
            using var response = await op.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().ShouldBe("COM0016");
        }

        var keysBefore = (await op.GetAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.OK).Array.Count;
        var big = new byte[(2 * 1024 * 1024) + 1];
        Array.Fill(big, (byte)' ');
        // Expect: 100-continue, so that the client reads the early 413 instead of racing it with the upload
        // (the chunked case, which Kestrel cannot refuse before reading, is in BadInputTests).
        foreach (var path in new[] { "/v1/auth/logout", $"/v1/operators/{op.OperatorId}/auth_keys" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(big) };
            request.Headers.Add("X-Soracom-API-Key", op.ApiKey);
            request.Headers.Add("X-Soracom-Token", op.Token);
            request.Headers.ExpectContinue = true;
            request.Content.Headers.ContentType = new("application/json");
            using var response = await op.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().ShouldBe("COM0005");
        }

        // The token survived the refused logouts, and no auth key was added.
        (await op.GetAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(keysBefore);
        (await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }
}

public sealed class HttpLimitsTests_Sqlite() : HttpLimitsTests(DatabaseKind.Sqlite);

public sealed class HttpLimitsTests_Postgres() : HttpLimitsTests(DatabaseKind.Postgres);
