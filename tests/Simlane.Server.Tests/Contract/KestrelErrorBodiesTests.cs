using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The connection middleware's pipes, driven byte by byte the way Kestrel drives them (reads from the start
/// of each request; header blocks written with GetSpan/Advance, possibly in several pieces, then a flush).
/// The real-server behaviour is in <see cref="KestrelRejectionTests"/>.
/// </summary>
public sealed class KestrelErrorBodiesTests
{
    private const string KestrelError = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nServer: Kestrel\r\n\r\n";

    [Fact]
    public async Task KestrelsEmptyError_GetsTheJsonBody_KeepingStatusAndHeaders()
    {
        var connection = new Connection();
        await connection.ReceiveAsync("GET /v1/sims HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n");
        connection.Write(KestrelError);

        var answer = await connection.FlushAndReadAsync();

        answer.ShouldBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nServer: Kestrel\r\n"
            + "Content-Type: application/json\r\nContent-Length: 53\r\n\r\n{\"code\":\"COM0011\",\"message\":\"The request is invalid\"}");
    }

    [Theory]
    [InlineData("414 URI Too Long", "COM0015")]
    [InlineData("431 Request Header Fields Too Large", "COM0016")]
    [InlineData("413 Payload Too Large", "COM0005")]
    [InlineData("405 Method Not Allowed", "COM0010")]
    [InlineData("505 HTTP Version Not Supported", "COM0018")]
    [InlineData("408 Request Timeout", "COM0018")]
    [InlineData("411 Length Required", "COM0018")]
    public async Task EachStatus_GetsItsCode_AndKeepsItsStatus(string status, string code)
    {
        var connection = new Connection();
        await connection.ReceiveAsync("GET /v1/sims HTTP/1.1\r\n");
        connection.Write($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nServer: Kestrel\r\n\r\n");

        var (statusLine, headers, body) = Parse(await connection.FlushAndReadAsync());

        statusLine.ShouldBe("HTTP/1.1 " + status);
        headers["Content-Type"].ShouldBe("application/json");
        headers["Content-Length"].ShouldBe(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var json = JsonNode.Parse(body)!;
        json["code"]!.GetValue<string>().ShouldBe(code);
        json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task HeaderBlockInSeveralWrites_IsRewrittenAtTheFlush()
    {
        var connection = new Connection();
        await connection.ReceiveAsync("GET /v1/sims HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n");

        // Pieces as small as Kestrel's BufferWriter produces when a segment runs out, and the BufferWriter habit
        // of writing on into the same memory after an Advance.
        connection.Write("HTT", "P/1.1 4", "00 Bad Request\r\nContent-Le");
        connection.WriteContinuing(KestrelError["HTTP/1.1 400 Bad Request\r\nContent-Le".Length..]);

        var (statusLine, _, body) = Parse(await connection.FlushAndReadAsync());
        statusLine.ShouldBe("HTTP/1.1 400 Bad Request");
        JsonNode.Parse(body)!["code"]!.GetValue<string>().ShouldBe("COM0011");
    }

    [Theory]
    [InlineData("GET /v1/sims/a%00b HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /v1/sims/a\u007Fb HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /v1/sims/%00?a=b HTTP/1.1\r\n")]
    public async Task ControlCharacterInThePath_IsCom0017(string request)
    {
        var connection = new Connection();
        await connection.ReceiveAsync(request);
        connection.Write(KestrelError);

        JsonNode.Parse(Parse(await connection.FlushAndReadAsync()).Body)!["code"]!.GetValue<string>().ShouldBe("COM0017");
    }

    [Fact]
    public async Task NulInTheQuery_IsNotAPathError()
    {
        // Kestrel passes %00 in the query to the app (COM0007); a request it refuses for another reason is COM0011.
        var connection = new Connection();
        await connection.ReceiveAsync("GET /v1/groups?tag_name=%00 HTTP/1.1\r\nBad header\r\n\r\n");
        connection.Write(KestrelError);

        JsonNode.Parse(Parse(await connection.FlushAndReadAsync()).Body)!["code"]!.GetValue<string>().ShouldBe("COM0011");
    }

    [Fact]
    public async Task RequestLineInSeveralReads_IsStillRead()
    {
        var connection = new Connection();
        // Kestrel consumes nothing of an incomplete line and reads again from the same start.
        await connection.ReceiveAsync("GET /v1/sims/a%0", consume: false);
        await connection.ReceiveAsync("0b HTTP/1.1\r\nHost: x\r\n\r\n");
        connection.Write(KestrelError);

        JsonNode.Parse(Parse(await connection.FlushAndReadAsync()).Body)!["code"]!.GetValue<string>().ShouldBe("COM0017");
    }

    [Fact]
    public async Task AnswerToHead_StaysWithoutBody()
    {
        var connection = new Connection();
        await connection.ReceiveAsync("HEAD /healthz HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n");
        connection.Write(KestrelError);

        (await connection.FlushAndReadAsync()).ShouldBe(KestrelError);
    }

    [Fact]
    public async Task AfterAnAnsweredHead_TheNextRequestsErrorIsRewritten()
    {
        var connection = new Connection();
        await connection.ReceiveAsync("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const string head = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: application/json\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\n\r\n";
        connection.Write(head);
        (await connection.FlushAndReadAsync()).ShouldBe(head);

        await connection.ReceiveAsync("\u0001garbage\r\n\r\n");
        connection.Write(KestrelError);
        JsonNode.Parse(Parse(await connection.FlushAndReadAsync()).Body)!["code"]!.GetValue<string>().ShouldBe("COM0011");
    }

    [Theory]
    // The app's own errors: Content-Type and a body (chunked or with a length).
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nServer: Kestrel\r\nTransfer-Encoding: chunked\r\n\r\n", "2a\r\n{\"code\":\"COM0009\",\"message\":\"No such API\"}\r\n", "0\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n", "{}")]
    // An empty 4xx that is not Kestrel's (a header Kestrel's own answer lacks), and one the connection keeps.
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\nX-Soracom-Ratelimit-Limit: 10\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\n\r\n")]
    // Kestrel's header block with more bytes before the flush is not its empty answer.
    [InlineData(KestrelError, "x")]
    // Success, 204 and 304 answers, and a body that starts like an error status line.
    [InlineData("HTTP/1.1 204 No Content\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nServer: Kestrel\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Dec 2026 17:10:44 GMT\r\nETag: \"x\"\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 71\r\nContent-Type: text/csv\r\n\r\n", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n", "Connection: close\r\n\r\n", "x,y\r\n")]
    // A partial header block flushed as it is, and a 100 Continue.
    [InlineData("HTTP/1.1 400 Bad Req")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")]
    public async Task OtherWrites_PassUnchanged(params string[] writes)
    {
        var connection = new Connection();
        await connection.ReceiveAsync("POST /v1/groups HTTP/1.1\r\nHost: x\r\n\r\n");
        connection.Write(writes);

        (await connection.FlushAndReadAsync()).ShouldBe(string.Concat(writes));
    }

    [Fact]
    public async Task HeldHeaderBlock_FollowedByMoreInTheSameMemory_PassesUnchanged()
    {
        var connection = new Connection();
        await connection.ReceiveAsync("GET / HTTP/1.1\r\n");
        connection.Write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n");
        connection.WriteContinuing("Connection: close\r\n\r\n", "trailing bytes");

        (await connection.FlushAndReadAsync()).ShouldBe("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\ntrailing bytes");
    }

    private static (string StatusLine, Dictionary<string, string> Headers, string Body) Parse(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        end.ShouldBeGreaterThan(0, response);
        var lines = response[..end].Split("\r\n");
        var headers = lines[1..].Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (lines[0], headers, response[(end + 4)..]);
    }

    /// <summary>A connection's two pipes with the middleware between Kestrel (this test) and the socket (the other ends).</summary>
    private sealed class Connection
    {
        private readonly Pipe socketIn = new();
        private readonly Pipe socketOut = new();
        private readonly IDuplexPipe kestrel;
        private Memory<byte> continuing;

        public Connection() => kestrel = KestrelErrorBodies.Wrap(new Duplex(socketIn.Reader, socketOut.Writer));

        /// <summary>Bytes arrive from the client; Kestrel reads them and consumes all (or, for an incomplete line, nothing).</summary>
        public async Task ReceiveAsync(string text, bool consume = true)
        {
            await socketIn.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));
            var read = await kestrel.Input.ReadAsync();
            kestrel.Input.AdvanceTo(consume ? read.Buffer.End : read.Buffer.Start, read.Buffer.End);
        }

        /// <summary>Each piece in its own GetMemory/Advance.</summary>
        public void Write(params string[] pieces)
        {
            foreach (var piece in pieces)
            {
                continuing = kestrel.Output.GetMemory(4096);
                WriteContinuing(piece);
            }
        }

        /// <summary>Pieces written on into the memory of the last GetMemory, as Kestrel's BufferWriter does.</summary>
        public void WriteContinuing(params string[] pieces)
        {
            foreach (var piece in pieces)
            {
                var bytes = Encoding.Latin1.GetBytes(piece);
                bytes.CopyTo(continuing);
                continuing = continuing[bytes.Length..];
                kestrel.Output.Advance(bytes.Length);
            }
        }

        public async Task<string> FlushAndReadAsync()
        {
            await kestrel.Output.FlushAsync();
            var read = await socketOut.Reader.ReadAsync();
            var text = Encoding.Latin1.GetString(read.Buffer.ToArray());
            socketOut.Reader.AdvanceTo(read.Buffer.End);
            return text;
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
