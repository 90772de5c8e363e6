using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// Requests Kestrel refuses itself, before any middleware runs, sent as raw bytes over TCP to the real server
/// process: each answers its status with SORACOM's error body (KestrelErrorBodies), changes nothing, and the
/// server keeps serving; normal answers, HEAD, 204 and pipelined keep-alive requests pass unchanged.
/// </summary>
public abstract class KestrelRejectionTests(KestrelRejectionTests.Server server)
{
    /// <summary>What Kestrel refuses, by name (the names are the theory's data: some requests are 300 KB).</summary>
    private static readonly Dictionary<string, (string Request, int Status, string Code)> Refused = new()
    {
        ["NUL in the path"] = ("GET /v1/sims/a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "COM0017"),
        ["request line over Kestrel's 128 KiB"] = ($"GET /v1/sims/{new string('s', 140_000)} HTTP/1.1\r\nHost: x\r\n\r\n", 414, "COM0015"),
        ["header block over Kestrel's 256 KiB"] = ($"GET /v1/sims HTTP/1.1\r\nHost: x\r\nX-Padding: {new string('p', 300_000)}\r\n\r\n", 431, "COM0016"),
        ["more than Kestrel's 1000 header fields"] = ("GET /v1/sims HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 1001).Select(i => $"X-{i}: y\r\n")) + "\r\n", 431, "COM0016"),
        ["malformed header line"] = ("GET /v1/sims HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n", 400, "COM0011"),
        ["malformed request line"] = ("GET /v1/sims/a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "COM0011"),
        ["not HTTP at all"] = ("\u0001\u0002garbage\r\n\r\n", 400, "COM0011"),
        ["no Host"] = ("GET /v1/sims HTTP/1.1\r\n\r\n", 400, "COM0011"),
        ["HTTP/2.0 request line"] = ("GET /v1/sims HTTP/2.0\r\nHost: x\r\n\r\n", 505, "COM0018"),
        ["HTTP/1.0 POST without Content-Length"] = ("POST /v1/groups HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{}", 400, "COM0011"),
        ["transfer coding other than chunked"] = ("POST /v1/groups HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}", 400, "COM0011"),
        ["two Content-Lengths"] = ("POST /v1/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "COM0011"),
        ["asterisk target on GET"] = ("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 405, "COM0010"),
    };

    public static TheoryData<string> Rejections => new(Refused.Keys);

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task KestrelsOwnRejection_AnswersTheErrorBody(string what)
    {
        var (request, status, code) = Refused[what];
        var answers = Parse(await server.ExchangeAsync(request), "GET");

        answers.Count.ShouldBe(1, what);
        var answer = answers[0];
        answer.Status.ShouldBe(status, what);
        answer.Headers["Content-Type"].ShouldBe("application/json", what);
        answer.Headers["Connection"].ShouldBe("close", what);
        var json = JsonNode.Parse(answer.Body)!;
        json["code"]!.GetValue<string>().ShouldBe(code, what);
        json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json.AsObject().Count.ShouldBe(2);

        // The next connection is served as usual.
        var next = Parse(await server.ExchangeAsync("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "GET").Single();
        next.Status.ShouldBe(200);
        next.Body.ShouldBe("""{"status":"ok"}""");
    }

    [Fact]
    public async Task RefusedPost_ChangesNothing()
    {
        var op = await server.Process.Client().SignUpAsync();
        var auth = $"X-Soracom-API-Key: {op.ApiKey}\r\nX-Soracom-Token: {op.Token}\r\n";
        const string body = """{"tags":{"name":"refused"}}""";
        var answer = Parse(await server.ExchangeAsync($"POST /v1/groups HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {body.Length}\r\nBad header\r\n\r\n{body}"), "POST").Single();

        answer.Status.ShouldBe(400);
        JsonNode.Parse(answer.Body)!["code"]!.GetValue<string>().ShouldBe("COM0011");
        (await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task PipelinedKeepAliveRequests_HeadAnd204_PassUnchanged_UntilARejectedOne()
    {
        var op = await server.Process.Client().SignUpAsync();
        var auth = $"X-Soracom-API-Key: {op.ApiKey}\r\nX-Soracom-Token: {op.Token}\r\n";
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "pipelined" } })).ShouldBe(HttpStatusCode.Created).Json["groupId"]!.GetValue<string>();

        // Five requests in one write on one keep-alive connection; the last one Kestrel refuses.
        var answers = Parse(
            await server.ExchangeAsync(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                + $"DELETE /v1/groups/{groupId} HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
                + $"GET /v1/groups HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
                + "GET /v1/sims/a%00b HTTP/1.1\r\nHost: x\r\n\r\n"),
            "GET", "HEAD", "DELETE", "GET", "GET");

        answers.Count.ShouldBe(5);
        answers[0].Status.ShouldBe(200);
        answers[0].Body.ShouldBe("""{"status":"ok"}""");
        answers[0].Headers.ContainsKey("Connection").ShouldBeFalse();

        // HEAD (the route is GET only): the app's 405 with its headers and, as HEAD requires, no body.
        answers[1].Status.ShouldBe(405);
        answers[1].Headers["Content-Type"].ShouldBe("application/json");
        answers[1].Headers.ContainsKey("Content-Length").ShouldBeFalse();
        answers[1].Body.ShouldBeEmpty();

        answers[2].Status.ShouldBe(204);
        answers[2].Headers.ContainsKey("Content-Type").ShouldBeFalse();
        answers[2].Headers.ContainsKey("Content-Length").ShouldBeFalse();
        answers[2].Body.ShouldBeEmpty();

        answers[3].Status.ShouldBe(200);
        JsonNode.Parse(answers[3].Body)!.AsArray().Count.ShouldBe(0);

        answers[4].Status.ShouldBe(400);
        JsonNode.Parse(answers[4].Body)!["code"]!.GetValue<string>().ShouldBe("COM0017");
    }

    [Fact]
    public async Task TwoPipelinedRequests_BothAnsweredUnchanged()
    {
        var raw = await server.ExchangeAsync(
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        var answers = Parse(raw, "GET", "GET");
        answers.Count.ShouldBe(2);
        foreach (var answer in answers)
        {
            answer.Status.ShouldBe(200);
            answer.Headers["Content-Type"].ShouldBe("application/json; charset=utf-8");
            answer.Headers["Transfer-Encoding"].ShouldBe("chunked");
            answer.Body.ShouldBe("""{"status":"ok"}""");
        }

        // Byte for byte what Kestrel writes: the status line, four headers, and the chunk.
        var withoutDates = System.Text.RegularExpressions.Regex.Replace(raw, "Date: [^\r]*\r\n", "");
        withoutDates.ShouldBe(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nServer: Kestrel\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n{\"status\":\"ok\"}\r\n0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nServer: Kestrel\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n{\"status\":\"ok\"}\r\n0\r\n\r\n");
    }

    [Fact]
    public async Task HeadRefusedByKestrel_StaysWithoutBody()
    {
        var raw = await server.ExchangeAsync("HEAD /healthz HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n");

        var answer = Parse(raw, "HEAD").Single();
        answer.Status.ShouldBe(400);
        answer.Headers["Content-Length"].ShouldBe("0");
        answer.Headers.ContainsKey("Content-Type").ShouldBeFalse();
        raw.ShouldEndWith("\r\n\r\n");
    }

    [Fact]
    public async Task RequestSentInPieces_IsStillRecognised()
    {
        var answer = Parse(await server.ExchangeAsync("GET /v1/sims/a%0", "0b HTTP/1.1\r\nHo", "st: x\r\n\r\n"), "GET").Single();

        answer.Status.ShouldBe(400);
        JsonNode.Parse(answer.Body)!["code"]!.GetValue<string>().ShouldBe("COM0017");
    }

    /// <summary>Reads answers off the wire: Content-Length or chunked bodies, none for HEAD, 1xx, 204 and 304; every byte must belong to one.</summary>
    private static List<Answer> Parse(string raw, params string[] methods)
    {
        var answers = new List<Answer>();
        var at = 0;
        foreach (var method in methods)
        {
            if (at == raw.Length)
            {
                break;
            }

            var end = raw.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            end.ShouldBeGreaterThan(at, $"no complete header block in: {raw[at..]}");
            var lines = raw[at..end].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = lines[1..].Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            at = end + 4;
            var body = new StringBuilder();
            if (method != "HEAD" && status is not (204 or 304) and >= 200)
            {
                if (headers.TryGetValue("Transfer-Encoding", out var coding))
                {
                    coding.ShouldBe("chunked");
                    while (true)
                    {
                        var sizeEnd = raw.IndexOf("\r\n", at, StringComparison.Ordinal);
                        var size = int.Parse(raw[at..sizeEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        at = sizeEnd + 2;
                        if (size == 0)
                        {
                            raw.Substring(at, 2).ShouldBe("\r\n");
                            at += 2;
                            break;
                        }

                        body.Append(raw, at, size);
                        at += size;
                        raw.Substring(at, 2).ShouldBe("\r\n");
                        at += 2;
                    }
                }
                else
                {
                    var length = int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture);
                    body.Append(raw, at, length);
                    at += length;
                }
            }

            answers.Add(new Answer(status, headers, body.ToString()));
        }

        at.ShouldBe(raw.Length, $"bytes after the last answer: {raw[Math.Min(at, raw.Length)..]}");
        return answers;
    }

    private sealed record Answer(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>One real server process (Kestrel) per test class.</summary>
    public abstract class Server(DatabaseKind kind) : IAsyncLifetime
    {
        private TestDatabase? database;

        public ServerProcess Process { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            database = await TestDatabase.CreateAsync(kind);
            Process = await ServerProcess.StartAsync(database.ConnectionString);
        }

        public async Task DisposeAsync()
        {
            Process?.Dispose();
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        /// <summary>Sends <paramref name="pieces"/> (each its own TCP write) on a new connection and reads until the server closes it.</summary>
        public async Task<string> ExchangeAsync(params string[] pieces)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, Process.BaseAddress.Port, stop.Token);
            var stream = client.GetStream();
            try
            {
                foreach (var piece in pieces)
                {
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(piece), stop.Token);
                    await stream.FlushAsync(stop.Token);
                }
            }
            catch (IOException)
            {
                // The server refused the request before reading all of it; its answer is read below.
            }

            var received = new MemoryStream();
            try
            {
                await stream.CopyToAsync(received, stop.Token);
            }
            catch (IOException)
            {
                // The server may reset a connection it refused while unread request bytes remain; what arrived counts.
            }

            return Encoding.Latin1.GetString(received.ToArray());
        }
    }

    public sealed class SqliteServer() : Server(DatabaseKind.Sqlite);

    public sealed class PostgresServer() : Server(DatabaseKind.Postgres);
}

public sealed class KestrelRejectionTests_Sqlite(KestrelRejectionTests.SqliteServer server) : KestrelRejectionTests(server), IClassFixture<KestrelRejectionTests.SqliteServer>;

public sealed class KestrelRejectionTests_Postgres(KestrelRejectionTests.PostgresServer server) : KestrelRejectionTests(server), IClassFixture<KestrelRejectionTests.PostgresServer>;
