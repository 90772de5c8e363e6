using System.Collections.Concurrent;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;

namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>
/// The in-test stand-in for the server: rejects an Access-Request whose identity (3GPP-IMSI, else User-Name)
/// starts with "reject" (Reply-Message "refused: IDENTITY"), accepts every other with rate attributes, and records
/// every accounting request. <see cref="Gate"/> holds accounting calls open; <see cref="FailNext"/> throws once.
/// </summary>
public sealed class RecordingHandler : IRadiusRequestHandler
{
    public const uint RateUp = 128_000;
    public const uint RateDown = 256_000;

    public ConcurrentQueue<RadiusRequest> Access { get; } = new();
    public ConcurrentQueue<RadiusRequest> Accounting { get; } = new();
    public TaskCompletionSource? Gate { get; set; }
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool FailNext { get; set; }

    public Task<RadiusAccessDecision> HandleAccessAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        Access.Enqueue(request);
        var identity = request.Packet.GetText(RadiusAttributes.ThreeGppImsi) ?? request.Packet.GetText(RadiusAttributes.UserName) ?? "";
        if (identity.StartsWith("reject", StringComparison.Ordinal))
        {
            return Task.FromResult(RadiusAccessDecision.Reject($"refused: {identity}"));
        }
        return Task.FromResult(RadiusAccessDecision.Accept(
        [
            RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxUp, RateUp),
            RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxDown, RateDown),
            RadiusAttributeValue.FromNumber(RadiusAttributes.AcctInterimInterval, 300),
        ]));
    }

    public async Task HandleAccountingAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        Accounting.Enqueue(request);
        Entered.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("the usage store is unavailable (test)");
        }
    }
}
