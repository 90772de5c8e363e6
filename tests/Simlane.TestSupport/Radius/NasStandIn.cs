using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Simlane.TestSupport.Radius;

/// <summary>
/// The pyrad NAS stand-in (radius_peer.py nas, python3-pyrad; see <see cref="RadiusPeer"/>): a Dynamic Authorization Server
/// on a 127.x address (127.0.0.1 unless told) that answers Disconnect/CoA requests with ACK or NAK,
/// or drops the first <c>drop_first</c>. Each request it saw arrives as one JSON line on <see cref="NextAsync"/>.
/// </summary>
public sealed class NasStandIn : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<JsonObject> lines = Channel.CreateUnbounded<JsonObject>();
    private readonly Task reader;

    private NasStandIn(Process process, string host, int port)
    {
        this.process = process;
        Host = host;
        Port = port;
        EndPoint = new IPEndPoint(IPAddress.Parse(host), port);
        reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(JsonNode.Parse(line)!.AsObject());
            }

            lines.Writer.TryComplete();
        });
    }

    public string Host { get; }

    public int Port { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>The RADIUS client entry that makes Simlane send this stand-in its Disconnect/CoA requests.</summary>
    public string ClientEntry(string secret) => $"{Host}={secret},coa-port={Port}";

    /// <param name="options">radius_peer.py nas options: secret, mode (ack/nak), error_cause, drop_first, reply_secret.</param>
    /// <param name="host">The loopback address it listens on.</param>
    public static async Task<NasStandIn> StartAsync(object options, string host = "127.0.0.1")
    {
        var start = new ProcessStartInfo(RadiusPeer.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RadiusPeer.Script);
        start.ArgumentList.Add("nas");
        var json = JsonSerializer.SerializeToNode(options)!.AsObject();
        json["host"] = host;
        start.ArgumentList.Add(json.ToJsonString());
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = await process.StandardOutput.ReadLineAsync(limit.Token)
            ?? throw new InvalidOperationException("the NAS stand-in exited before reporting its port");
        return new NasStandIn(process, host, JsonNode.Parse(first)!["port"]!.GetValue<int>());
    }

    /// <summary>The next request the stand-in received, waiting at most <paramref name="seconds"/> (a bound, not a measurement).</summary>
    public async Task<JsonObject> NextAsync(int seconds = 20)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await lines.Reader.ReadAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close(); // the stand-in exits when stdin closes
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        await reader;
        process.Dispose();
    }
}
