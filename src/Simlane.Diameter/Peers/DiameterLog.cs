using System.Net;
using Microsoft.Extensions.Logging;

namespace Simlane.Diameter.Peers;

/// <summary>The node's log lines. Peer faults log at Warning at most, and never message bytes or AVP values.</summary>
internal static partial class DiameterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Diameter listening on {EndPoint} as {OriginHost} ({OriginRealm}) for {Peers} peer(s)")]
    internal static partial void Started(ILogger logger, IPEndPoint endPoint, string originHost, string originRealm, int peers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Diameter peer {OriginHost} at {Remote} is open")]
    internal static partial void PeerUp(ILogger logger, string originHost, IPEndPoint remote);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Diameter peer {OriginHost} at {Remote} is closed ({Reason})")]
    internal static partial void PeerDown(ILogger logger, string originHost, IPEndPoint remote, DiameterCloseReason reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Diameter connection from {Remote} refused ({Reason}): {Detail}")]
    internal static partial void Refused(ILogger logger, IPEndPoint remote, DiameterCloseReason reason, string detail);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Diameter connection from {Remote} ({OriginHost}) closed: malformed frame, {Detail}")]
    internal static partial void MalformedFrame(ILogger logger, IPEndPoint remote, string originHost, string detail);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Diameter peer {OriginHost} at {Remote} closed: no answer to the watchdog within {Interval}")]
    internal static partial void WatchdogTimeout(ILogger logger, string originHost, IPEndPoint remote, TimeSpan interval);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Diameter {Command} from {OriginHost}: the application failed; answered 5012")]
    internal static partial void HandlerFailed(ILogger logger, string command, string originHost, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Diameter {Command} from {OriginHost} rejected ({Reason}, {ResultCode}): {Detail}")]
    internal static partial void Rejected(ILogger logger, string command, string originHost, DiameterRejectReason reason, uint resultCode, string detail);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Diameter accept failed ({Error}); still listening")]
    internal static partial void AcceptFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Diameter connection from {Remote}: unexpected failure; connection closed")]
    internal static partial void Unexpected(ILogger logger, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Diameter application {Callback} for {OriginHost} threw; ignored")]
    internal static partial void CallbackFailed(ILogger logger, string callback, string originHost, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Diameter answer {Command} from {OriginHost} dropped: {Detail}")]
    internal static partial void AnswerDropped(ILogger logger, string command, string originHost, string detail);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Diameter answer {Command} from {OriginHost} dropped: it does not decode ({ResultCode}: {Detail})")]
    internal static partial void MalformedAnswerDropped(ILogger logger, string command, string originHost, uint resultCode, string? detail);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Diameter peer {OriginHost} reconnected from {Remote}; its older connection is closed")]
    internal static partial void Replaced(ILogger logger, string originHost, IPEndPoint remote);
}
