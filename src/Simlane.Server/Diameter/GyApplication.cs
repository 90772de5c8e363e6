using Microsoft.Extensions.Options;
using Simlane.Core.Usage;
using Simlane.Diameter.Codec;
using Simlane.Diameter.Peers;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Diameter;

/// <summary>
/// The Diameter Credit-Control application (id 4) of the node (docs/diameter.md): checks each Credit-Control-Request,
/// hands it to <see cref="GyCreditControl"/> and builds the Credit-Control-Answer from the outcome. A request that lacks
/// a required AVP is answered DIAMETER_MISSING_AVP (5005), one with a value out of range DIAMETER_INVALID_AVP_VALUE
/// (5004), both with the offending AVP in Failed-AVP, and changes nothing.
/// </summary>
public sealed partial class GyApplication(GyCreditControl creditControl, IOptions<DiameterOptions> options, TimeProvider clock, ILogger<GyApplication> logger) : IDiameterApplication
{
    private const uint EventRequest = 4;
    private const uint FinalUnitActionTerminate = 0;

    public async Task<DiameterMessage> HandleRequestAsync(DiameterPeerConnection peer, DiameterMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (request.CommandCode != DiameterCommands.CreditControl)
        {
            return DiameterMessage.CreateAnswer(request, DiameterResultCodes.CommandUnsupported, settings.OriginHost, settings.OriginRealm);
        }

        if (Check(request, settings) is { } refused)
        {
            return refused;
        }

        var requestType = request.Find(AvpCodes.CcRequestType)!.GetUInt32();
        var requestNumber = request.Find(AvpCodes.CcRequestNumber)!.GetUInt32();
        if (requestType == EventRequest)
        {
            return Answer(request, settings, CreditControlOutcome.Of(DiameterResultCodes.UnableToComply), "EVENT_REQUEST (one-time event charging) is not supported; use session-based credit control");
        }

        var used = Used(request);
        var sessionId = request.SessionId!;
        var outcome = await creditControl.SubmitAsync(
            new CreditControlRequest(peer.OriginHost, sessionId, requestType, requestNumber, request, used, clock.GetUtcNow()), cancellationToken);
        if (outcome.ResultCode != DiameterResultCodes.Success)
        {
            LogRefused(logger, requestType, sessionId, outcome.ResultCode, outcome.Reason);
        }

        return Answer(request, settings, outcome, null);
    }

    public void PeerUp(DiameterPeerConnection peer) => LogPeerUp(logger, peer.OriginHost, peer.Remote);

    public void PeerDown(DiameterPeerConnection peer) => LogPeerDown(logger, peer.OriginHost);

    /// <summary>The required AVPs (RFC 4006 3.1) and their ranges; the answer refusing the request, or null.</summary>
    private static DiameterMessage? Check(DiameterMessage request, DiameterOptions settings)
    {
        if (request.SessionId is not { Length: > 0 })
        {
            return Failed(request, settings, DiameterResultCodes.MissingAvp, Avp.OfString(AvpCodes.SessionId, ""), "Session-Id is required");
        }

        foreach (var (code, name) in new[]
                 {
                     (AvpCodes.AuthApplicationId, "Auth-Application-Id"), (AvpCodes.ServiceContextId, "Service-Context-Id"),
                     (AvpCodes.CcRequestType, "CC-Request-Type"), (AvpCodes.CcRequestNumber, "CC-Request-Number"),
                 })
        {
            if (request.Find(code) is null)
            {
                return Failed(request, settings, DiameterResultCodes.MissingAvp, code == AvpCodes.ServiceContextId ? Avp.OfString(code, "") : Avp.OfUInt32(code, 0), $"{name} is required");
            }
        }

        foreach (var code in new[] { AvpCodes.AuthApplicationId, AvpCodes.CcRequestType, AvpCodes.CcRequestNumber })
        {
            var avp = request.Find(code)!;
            try
            {
                var value = avp.GetUInt32();
                if ((code == AvpCodes.AuthApplicationId && value != DiameterApplications.CreditControl)
                    || (code == AvpCodes.CcRequestType && value is < 1 or > 4))
                {
                    return Failed(request, settings, DiameterResultCodes.InvalidAvpValue, avp, null);
                }
            }
            catch (DiameterAvpException e)
            {
                return Failed(request, settings, e.ResultCode, avp, null);
            }
        }

        try
        {
            _ = Used(request);
        }
        catch (DiameterAvpException e)
        {
            return Failed(request, settings, e.ResultCode, e.Avp, null);
        }

        return null;
    }

    /// <summary>
    /// The octets of every Used-Service-Unit (in each MSCC and at the top level), summed: CC-Input-Octets as upload,
    /// CC-Output-Octets as download; a unit that reports only CC-Total-Octets counts it as download. Null when none reported octets.
    /// </summary>
    internal static TrafficTotals? Used(DiameterMessage request)
    {
        var units = request.FindAll(AvpCodes.MultipleServicesCreditControl).SelectMany(m => m.FindAll(AvpCodes.UsedServiceUnit))
            .Concat(request.FindAll(AvpCodes.UsedServiceUnit));
        long upload = 0, download = 0;
        var any = false;
        foreach (var unit in units)
        {
            var input = unit.Find(AvpCodes.CcInputOctets);
            var output = unit.Find(AvpCodes.CcOutputOctets);
            var total = unit.Find(AvpCodes.CcTotalOctets);
            if (input is not null || output is not null)
            {
                upload = Add(upload, Octets(input));
                download = Add(download, Octets(output));
                any = true;
            }
            else if (total is not null)
            {
                download = Add(download, Octets(total));
                any = true;
            }
        }

        return any ? new TrafficTotals(upload, download, 0, 0) : null;
    }

    /// <summary>An octet count as a long (a value above long.MaxValue, which no session reaches, is clamped).</summary>
    private static long Octets(Avp? avp) => avp is null ? 0 : (long)Math.Min(avp.GetUInt64(), long.MaxValue);

    /// <summary>A sum that stops at long.MaxValue instead of overflowing (absurd reports are clamped, not refused).</summary>
    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>The Credit-Control-Answer: Result-Code, the request's type and number, and per MSCC its grant or its denial.</summary>
    private static DiameterMessage Answer(DiameterMessage request, DiameterOptions settings, CreditControlOutcome outcome, string? errorMessage)
    {
        var answer = DiameterMessage.CreateAnswer(request, outcome.ResultCode, settings.OriginHost, settings.OriginRealm);
        answer.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        answer.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestType, request.Find(AvpCodes.CcRequestType)!.GetUInt32()));
        answer.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestNumber, request.Find(AvpCodes.CcRequestNumber)!.GetUInt32()));
        if (errorMessage is not null)
        {
            answer.Avps.Add(Avp.OfString(AvpCodes.ErrorMessage, errorMessage, mandatory: false));
        }

        if (!outcome.Grant && !outcome.Terminate)
        {
            return answer;
        }

        var services = request.FindAll(AvpCodes.MultipleServicesCreditControl).ToList();
        if (services.Count == 0)
        {
            if (outcome.Grant)
            {
                answer.Avps.Add(GrantedUnit(settings));
            }
            else
            {
                answer.Avps.Add(FinalUnit());
            }

            return answer;
        }

        foreach (var service in services)
        {
            var children = new List<Avp>();
            if (outcome.Grant)
            {
                children.Add(GrantedUnit(settings));
            }

            children.AddRange(service.FindAll(AvpCodes.ServiceIdentifier).Concat(service.FindAll(AvpCodes.RatingGroup)).Select(Copy));
            if (outcome.Grant)
            {
                children.Add(Avp.OfUInt32(AvpCodes.ValidityTime, (uint)settings.ValidityTimeSeconds));
            }

            children.Add(Avp.OfUInt32(AvpCodes.ResultCode, outcome.ResultCode));
            if (outcome.Terminate)
            {
                children.Add(FinalUnit());
            }

            answer.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl, children));
        }

        return answer;
    }

    private static Avp GrantedUnit(DiameterOptions settings) =>
        Avp.OfGrouped(AvpCodes.GrantedServiceUnit, [Avp.OfUInt64(AvpCodes.CcTotalOctets, (ulong)settings.QuotaOctets)]);

    private static Avp FinalUnit() =>
        Avp.OfGrouped(AvpCodes.FinalUnitIndication, [Avp.OfUInt32(AvpCodes.FinalUnitAction, FinalUnitActionTerminate)]);

    private static Avp Copy(Avp avp) => Avp.OfUInt32(avp.Code, avp.GetUInt32(), avp.VendorId, avp.Mandatory);

    private static DiameterMessage Failed(DiameterMessage request, DiameterOptions settings, uint resultCode, Avp offending, string? errorMessage)
    {
        var answer = DiameterMessage.CreateAnswer(request, resultCode, settings.OriginHost, settings.OriginRealm);
        if (errorMessage is not null)
        {
            answer.Avps.Add(Avp.OfString(AvpCodes.ErrorMessage, errorMessage, mandatory: false));
        }

        answer.Avps.Add(Avp.OfGrouped(AvpCodes.FailedAvp, [offending]));
        return answer;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gy request of CC-Request-Type {RequestType} for session {SessionId} answered {ResultCode} ({Reason})")]
    private static partial void LogRefused(ILogger logger, uint requestType, string sessionId, uint resultCode, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diameter peer {OriginHost} connected from {Remote}")]
    private static partial void LogPeerUp(ILogger logger, string originHost, System.Net.IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diameter peer {OriginHost} disconnected")]
    private static partial void LogPeerDown(ILogger logger, string originHost);
}
