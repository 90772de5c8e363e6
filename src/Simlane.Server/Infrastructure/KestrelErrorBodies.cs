using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// A Kestrel connection middleware that gives the error answers Kestrel writes itself, before any request
/// reaches the app (a <c>%00</c> in the path, a request line or header block beyond Kestrel's limits,
/// malformed request lines and headers, an unsupported HTTP version …), SORACOM's <c>{"code","message"}</c>
/// body. Kestrel answers those with an empty body and offers no hook to change it (docs/api.md, "Limits").
/// <para>
/// It watches the bytes Kestrel writes to the connection without copying them. A write that starts a
/// response with a 4xx/5xx status line is examined; only a header block that is exactly Kestrel's own error
/// answer (<c>Content-Length: 0</c>, <c>Connection: close</c>, and no header other than Date, Server and
/// Allow; the app's errors always carry <c>Content-Type</c> and a body) is held back until Kestrel flushes it,
/// and is then replaced by the same status and headers with a JSON body. Anything else, including more bytes
/// after such a header block, passes unchanged. Bodies are never held or copied. The request line of the
/// request being parsed is read (without copying) only to choose the code (COM0017 for <c>%00</c> or a
/// control character in the path) and to leave an answer to <c>HEAD</c> without a body.
/// </para>
/// </summary>
public static class KestrelErrorBodies
{
    /// <summary>Adds the middleware to an endpoint that speaks HTTP/1.x (all of Simlane's: it serves no HTTP/2).</summary>
    public static void Use(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection => (listen.Protocols & HttpProtocols.Http1) == 0 ? next(connection) : RunAsync(connection, next));
    }

    private static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        connection.Transport = Wrap(transport);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }

    /// <summary>The connection's pipes as Kestrel's HTTP/1.x layer sees them: requests read through, error answers given their body.</summary>
    internal static IDuplexPipe Wrap(IDuplexPipe transport)
    {
        var request = new CurrentRequest();
        return new DuplexPipe(new RequestLineReader(transport.Input, request), new ErrorBodyWriter(transport.Output, request));
    }

    /// <summary>The SORACOM error for a status Kestrel answered itself.</summary>
    /// <remarks>The answer keeps Kestrel's status; COM0018 stands for every status without a code of its own (408, 411, 505 …).</remarks>
    internal static ErrorCode ErrorFor(int status, bool controlInTarget) => status switch
    {
        StatusCodes.Status400BadRequest => controlInTarget ? ErrorCodes.InvalidPath : ErrorCodes.InvalidRequest,
        StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.BodyTooLarge,
        StatusCodes.Status414UriTooLong => ErrorCodes.UrlTooLong,
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ErrorCodes.HeadersTooLarge,
        _ => ErrorCodes.HttpError,
    };

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>What the request line of the request Kestrel is parsing said; reset when a response starts.</summary>
    private sealed class CurrentRequest
    {
        public const int Head = 1;
        public const int ControlInTarget = 2;
        private int flags;

        public int Flags
        {
            get => Volatile.Read(ref flags);
            set => Volatile.Write(ref flags, value);
        }
    }

    /// <summary>
    /// Passes every read through; when a read's buffer starts with a complete request line (Kestrel re-reads
    /// from the start of each request), notes whether it is HEAD and whether its target holds <c>%00</c> or a
    /// control byte. Reads that start inside headers or bodies do not look like a request line and change nothing.
    /// </summary>
    private sealed class RequestLineReader(PipeReader inner, CurrentRequest request) : PipeReader
    {
        /// <summary>Kestrel's own request line limit (RequestLimitsMiddleware.ConfigureKestrel) and a little more.</summary>
        private const int MaxLine = (16 * RequestLimitsMiddleware.MaxUrlLength) + 64;

        private const int MaxMethod = 20;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(cancellationToken);
            if (read.IsCompletedSuccessfully)
            {
                var result = read.Result;
                Inspect(result.Buffer);
                return new ValueTask<ReadResult>(result);
            }

            return AwaitAsync(read);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            Inspect(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read)
        {
            var result = await read.ConfigureAwait(false);
            Inspect(result.Buffer);
            return result;
        }

        private void Inspect(ReadOnlySequence<byte> buffer)
        {
            // A request line starts with a method token of capital letters and a space; anything else (a header
            // line, a body) is answered in a few byte comparisons.
            var first = buffer.FirstSpan;
            var method = 0;
            while (method < first.Length && method <= MaxMethod && first[method] is >= (byte)'A' and <= (byte)'Z')
            {
                method++;
            }

            if (method == 0 || method >= first.Length || method > MaxMethod || first[method] != (byte)' ')
            {
                return;
            }

            var window = buffer.Length > MaxLine ? buffer.Slice(0, MaxLine) : buffer;
            if (window.PositionOf((byte)'\n') is not { } end)
            {
                return;
            }

            var line = window.Slice(0, end);
            var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
            if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            {
                bytes = bytes[..^1];
            }

            var lastSpace = bytes.LastIndexOf((byte)' ');
            var target = lastSpace > method ? bytes[(method + 1)..lastSpace] : bytes[(method + 1)..];
            if (target.IndexOf((byte)'?') is >= 0 and var query)
            {
                // Only the path: Kestrel passes %00 in the query on to the app (COM0007).
                target = target[..query];
            }

            var flags = bytes[..method].SequenceEqual("HEAD"u8) ? CurrentRequest.Head : 0;
            if (target.IndexOf("%00"u8) >= 0 || target.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || target.Contains((byte)0x7F))
            {
                flags |= CurrentRequest.ControlInTarget;
            }

            request.Flags = flags;
        }
    }

    /// <summary>
    /// Passes Kestrel's writes through, except a header block that is Kestrel's own empty error answer: that is
    /// held (a few hundred bytes at most) until the flush that ends it, and then written with a JSON body.
    /// </summary>
    private sealed class ErrorBodyWriter(PipeWriter inner, CurrentRequest request) : PipeWriter
    {
        /// <summary>Kestrel's own error header block is under 200 bytes; a longer one is not Kestrel's.</summary>
        private const int MaxHeld = 1024;

        private static ReadOnlySpan<byte> Http11 => "HTTP/1.1 "u8;

        private static ReadOnlySpan<byte> EndOfHeaders => "\r\n\r\n"u8;

        private static ReadOnlySpan<byte> ContentLength => "Content-Length:"u8;

        private Memory<byte> memory;
        private byte[]? held;
        private int heldLength;
        private bool heldIsKestrelError;

        private enum Verdict
        {
            /// <summary>Not a response start, a success, or an error that is not Kestrel's empty answer: pass it.</summary>
            Pass,

            /// <summary>A 4xx/5xx status line whose header block is not complete yet.</summary>
            NeedMore,

            /// <summary>Kestrel's own empty error answer, complete.</summary>
            KestrelError,
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + heldLength;

        public override Memory<byte> GetMemory(int sizeHint = 0) => memory = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            // Kestrel's BufferWriter keeps writing into the rest of the memory it got after an Advance, as a
            // Pipe allows: the next Advance without GetMemory continues where this one ends.
            var written = memory.Span[..bytes];
            memory = memory[bytes..];
            if (held is null)
            {
                // The common case: a body, or a response start that needs no holding. Nothing is copied.
                if (bytes == 0 || written[0] != (byte)'H')
                {
                    inner.Advance(bytes);
                    return;
                }

                var verdict = Judge(written);
                if (verdict == Verdict.Pass || bytes > MaxHeld)
                {
                    if (verdict != Verdict.Pass)
                    {
                        request.Flags = 0;
                    }

                    inner.Advance(bytes);
                    return;
                }

                held = ArrayPool<byte>.Shared.Rent(MaxHeld);
                written.CopyTo(held);
                heldLength = bytes;
                heldIsKestrelError = verdict == Verdict.KestrelError;
                return;
            }

            if (bytes == 0)
            {
                return;
            }

            if (heldIsKestrelError || heldLength + bytes > MaxHeld)
            {
                // More bytes after a complete error header block, or a header block too long to be Kestrel's:
                // the response is not Kestrel's empty answer. Everything goes out as it was written.
                Release(written);
                return;
            }

            written.CopyTo(held.AsSpan(heldLength));
            heldLength += bytes;
            switch (Judge(held.AsSpan(0, heldLength)))
            {
                case Verdict.Pass:
                    Release([]);
                    break;
                case Verdict.KestrelError:
                    heldIsKestrelError = true;
                    break;
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            WriteHeld();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            if (exception is null)
            {
                WriteHeld();
            }

            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (exception is null)
            {
                WriteHeld();
            }

            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        /// <summary>At a flush: a held Kestrel error goes out with its body, a held partial header block as it was.</summary>
        private void WriteHeld()
        {
            if (held is null)
            {
                return;
            }

            if (heldIsKestrelError)
            {
                var rewritten = Rewrite(held.AsSpan(0, heldLength), request.Flags);
                request.Flags = 0;
                Return();
                inner.Write(rewritten);
            }
            else
            {
                Release([]);
            }
        }

        /// <summary>Writes the held bytes and then <paramref name="more"/> (which may lie in the inner writer's memory) unchanged.</summary>
        private void Release(ReadOnlySpan<byte> more)
        {
            request.Flags = 0;
            var moreCopy = more.Length == 0 ? null : more.ToArray();
            inner.Write(held.AsSpan(0, heldLength));
            Return();
            if (moreCopy is not null)
            {
                inner.Write(moreCopy);
            }
        }

        private void Return()
        {
            if (held is not null)
            {
                ArrayPool<byte>.Shared.Return(held);
            }

            held = null;
            heldLength = 0;
            heldIsKestrelError = false;
        }

        /// <summary>Judges bytes that start at a write boundary (where Kestrel starts every response's header block).</summary>
        private Verdict Judge(ReadOnlySpan<byte> bytes)
        {
            var prefix = Math.Min(bytes.Length, Http11.Length);
            if (!bytes[..prefix].SequenceEqual(Http11[..prefix]))
            {
                return Verdict.Pass;
            }

            if (bytes.Length < Http11.Length + 4)
            {
                return Verdict.NeedMore;
            }

            var statusText = bytes.Slice(Http11.Length, 3);
            if (statusText[0] is < (byte)'1' or > (byte)'5' || !char.IsAsciiDigit((char)statusText[1]) || !char.IsAsciiDigit((char)statusText[2]) || bytes[Http11.Length + 3] != (byte)' ')
            {
                return Verdict.Pass;
            }

            if (statusText[0] == (byte)'1')
            {
                // 100 Continue: the request it answers is still being read.
                return Verdict.Pass;
            }

            if (statusText[0] < (byte)'4')
            {
                // A response of the app's starts: the request line noted so far is answered.
                request.Flags = 0;
                return Verdict.Pass;
            }

            var end = bytes.IndexOf(EndOfHeaders);
            if (end < 0)
            {
                return Verdict.NeedMore;
            }

            if (end + EndOfHeaders.Length != bytes.Length || (request.Flags & CurrentRequest.Head) != 0 || !IsKestrelErrorHeaderBlock(bytes[..(end + 2)]))
            {
                request.Flags = 0;
                return Verdict.Pass;
            }

            return Verdict.KestrelError;
        }

        /// <summary>
        /// Kestrel's own error answer: <c>Content-Length: 0</c>, <c>Connection: close</c>, and otherwise only
        /// Date, Server and Allow (Kestrel's 405). The app's answers always carry Content-Type or other headers.
        /// </summary>
        private static bool IsKestrelErrorHeaderBlock(ReadOnlySpan<byte> block)
        {
            var lines = block[(block.IndexOf("\r\n"u8) + 2)..];
            bool emptyBody = false, close = false;
            while (lines.Length > 0)
            {
                var lineEnd = lines.IndexOf("\r\n"u8);
                if (lineEnd < 0)
                {
                    return false;
                }

                var line = lines[..lineEnd];
                lines = lines[(lineEnd + 2)..];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    return false;
                }

                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    emptyBody = value.SequenceEqual("0"u8);
                }
                else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    close = Ascii.EqualsIgnoreCase(value, "close"u8);
                }
                else if (!Ascii.EqualsIgnoreCase(name, "Date"u8) && !Ascii.EqualsIgnoreCase(name, "Server"u8) && !Ascii.EqualsIgnoreCase(name, "Allow"u8))
                {
                    return false;
                }
            }

            return emptyBody && close;
        }

        /// <summary>The same status line and headers, with Content-Type, the body's Content-Length and the body.</summary>
        private static byte[] Rewrite(ReadOnlySpan<byte> headerBlock, int flags)
        {
            var status = int.Parse(headerBlock.Slice(Http11.Length, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
            var error = ErrorFor(status, (flags & CurrentRequest.ControlInTarget) != 0);
            var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(error.Code, error.Title), Json.Options);
            var output = new ArrayBufferWriter<byte>(headerBlock.Length + body.Length + 64);
            var lines = headerBlock[..^2];
            while (lines.Length > 0)
            {
                var line = lines[..(lines.IndexOf("\r\n"u8) + 2)];
                lines = lines[line.Length..];
                if (line.Length < ContentLength.Length || !Ascii.EqualsIgnoreCase(line[..ContentLength.Length], ContentLength))
                {
                    output.Write(line);
                }
            }

            output.Write(Encoding.ASCII.GetBytes($"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            output.Write(body);
            return output.WrittenSpan.ToArray();
        }
    }
}
