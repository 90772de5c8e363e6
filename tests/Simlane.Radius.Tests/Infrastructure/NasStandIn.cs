using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>
/// The pyrad NAS stand-in (radius_peer.py nas): a Dynamic Authorization Server on 127.0.0.1 that answers
/// Disconnect/CoA requests with ACK or NAK. Each request it saw arrives as one JSON line on <see cref="NextAsync"/>.
/// </summary>
public sealed class NasStandIn : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<JsonObject> lines = Channel.CreateUnbounded<JsonObject>();
    private readonly Task reader;

    private NasStandIn(Process process, int port)
    {
        this.process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(JsonNode.Parse(line)!.AsObject());
            }
            lines.Writer.TryComplete();
        });
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<NasStandIn> StartAsync(object options)
    {
        var start = new ProcessStartInfo(Peer.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Peer.Script);
        start.ArgumentList.Add("nas");
        start.ArgumentList.Add(JsonSerializer.Serialize(options));
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = await process.StandardOutput.ReadLineAsync(limit.Token)
            ?? throw new InvalidOperationException("the NAS stand-in exited before reporting its port");
        return new NasStandIn(process, JsonNode.Parse(first)!["port"]!.GetValue<int>());
    }

    /// <summary>The next request the stand-in received, waiting at most <paramref name="seconds"/>.</summary>
    public async Task<JsonObject> NextAsync(int seconds = 10)
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
