using System.Net;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;

namespace Simlane.Server.Radius;

/// <summary>What a RADIUS request says about the subscriber and its session (docs/radius.md, "Attribute map").</summary>
public static class RadiusSubscriber
{
    /// <summary>Longest APN kept (as the gateway API's <c>apn</c>); a longer Called-Station-Id is not stored.</summary>
    private const int MaxApnLength = 100;

    /// <summary>The IMSI: 3GPP-IMSI, else User-Name when it is an IMSI (5 to 15 digits); null when neither is.</summary>
    public static string? Imsi(RadiusPacket packet)
    {
        var imsi = packet.GetText(RadiusAttributes.ThreeGppImsi);
        if (imsi is not null)
        {
            return IsImsi(imsi) ? imsi : null;
        }

        var userName = packet.GetText(RadiusAttributes.UserName);
        return userName is not null && IsImsi(userName) ? userName : null;
    }

    /// <summary>The reported 3GPP-IMEISV as the admission sees it: the 15-digit IMEI, null when none was reported, or
    /// the raw value when it is neither an IMEI nor an IMEISV (it then satisfies no IMEI lock).</summary>
    public static (string? ForAdmission, string? ForSession) Imei(RadiusPacket packet)
    {
        var reported = packet.GetText(RadiusAttributes.ThreeGppImeisv);
        return Simlane.Core.Sims.Imei.TryNormalize(reported, out var imei) ? (imei, imei) : (reported, null);
    }

    public static string? Apn(RadiusPacket packet) =>
        packet.GetText(RadiusAttributes.CalledStationId) is { Length: > 0 and <= MaxApnLength } apn ? apn : null;

    public static string? UeIpAddress(RadiusPacket packet) => packet.GetIPv4Address(RadiusAttributes.FramedIpAddress)?.ToString();

    /// <summary>The NAS as stored on a session: the request's source address (where a Disconnect goes), IPv4-mapped addresses unmapped.</summary>
    public static string NasAddress(IPEndPoint source) => RadiusClient.Normalize(source.Address).ToString();

    private static bool IsImsi(string value) => value.Length is >= 5 and <= 15 && value.All(char.IsAsciiDigit);
}
