using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simlane.Diameter.Codec;

namespace Simlane.Server.Diameter;

/// <summary>What a Credit-Control-Request says about the subscriber and its session (docs/diameter.md, "AVPs").</summary>
public static class GySubscriber
{
    private const int MaxApnLength = 100;
    private const uint EndUserImsi = 1;
    private const uint ImeisvType = 0;

    /// <summary>The IMSI: Subscription-Id with END_USER_IMSI, else 3GPP-IMSI (vendor 10415); null when neither holds 5 to 15 digits.</summary>
    public static string? Imsi(DiameterMessage request)
    {
        foreach (var id in request.FindAll(AvpCodes.SubscriptionId))
        {
            if (id.Find(AvpCodes.SubscriptionIdType) is { } type && Safe(() => type.GetUInt32()) == EndUserImsi)
            {
                return id.Find(AvpCodes.SubscriptionIdData) is { } data && Text(data) is { } imsi && IsImsi(imsi) ? imsi : null;
            }
        }

        return request.Find(AvpCodes.ThreeGppImsi, AvpCodes.Vendor3gpp) is { } vendor && Text(vendor) is { } value && IsImsi(value) ? value : null;
    }

    /// <summary>
    /// The reported IMEISV as the admission sees it (the 15-digit IMEI; null when none; the raw text when it is neither an IMEI
    /// nor an IMEISV, which satisfies no IMEI lock) and as the session keeps it. From User-Equipment-Info (type IMEISV) at the top
    /// level or inside Service-Information/PS-Information (where Open5GS puts it), else 3GPP-IMEISV.
    /// </summary>
    public static (string? ForAdmission, string? ForSession) Imei(DiameterMessage request)
    {
        var vendor = request.Find(AvpCodes.ThreeGppImeisv, AvpCodes.Vendor3gpp) ?? PsInformation(request)?.Find(AvpCodes.ThreeGppImeisv, AvpCodes.Vendor3gpp);
        var reported = EquipmentInfo(request.Avps) ?? EquipmentInfo(PsInformation(request)?.Children ?? []) ?? (vendor is null ? null : Digits(vendor));
        return Simlane.Core.Sims.Imei.TryNormalize(reported, out var imei) ? (imei, imei) : (reported, null);
    }

    /// <summary>The APN: Called-Station-Id in PS-Information (TS 32.299), else at the top level.</summary>
    public static string? Apn(DiameterMessage request) =>
        (PsInformation(request)?.Find(AvpCodes.CalledStationId) ?? request.Find(AvpCodes.CalledStationId)) is { } avp
        && Text(avp) is { Length: > 0 and <= MaxApnLength } apn ? apn : null;

    /// <summary>The UE's address: PDP-Address in PS-Information (RFC 6733 Address type).</summary>
    public static string? UeIpAddress(DiameterMessage request) =>
        PsInformation(request)?.Find(AvpCodes.PdpAddress, AvpCodes.Vendor3gpp) is { } avp ? Address(avp)?.ToString() : null;

    /// <summary>
    /// The cell as the gateway API's <c>cell</c> object: radio type from 3GPP-RAT-Type and MCC, MNC, TAC, ECI (or LAC, CI)
    /// from 3GPP-User-Location-Info (TS 29.061 16.4.7); null when neither says anything we can read.
    /// </summary>
    public static string? CellJson(DiameterMessage request)
    {
        var ps = PsInformation(request);
        var cell = new JsonObject();
        if ((ps?.Find(AvpCodes.ThreeGppRatType, AvpCodes.Vendor3gpp) ?? request.Find(AvpCodes.ThreeGppRatType, AvpCodes.Vendor3gpp)) is { Data.Length: 1 } rat
            && RadioType(rat.Data.Span[0]) is { } radio)
        {
            cell["radioType"] = radio;
        }

        if ((ps?.Find(AvpCodes.ThreeGppUserLocationInfo, AvpCodes.Vendor3gpp) ?? request.Find(AvpCodes.ThreeGppUserLocationInfo, AvpCodes.Vendor3gpp)) is { } uli)
        {
            Location(uli.Data.Span, cell);
        }

        return cell.Count == 0 ? null : cell.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>The record time, epoch seconds, from Event-Timestamp; null when absent or unreadable.</summary>
    public static long? EventTime(DiameterMessage request) =>
        request.Find(AvpCodes.EventTimestamp) is { } avp && Safe(() => avp.GetTime()) is { } time ? time.ToUnixTimeSeconds() : null;

    internal static Avp? PsInformation(DiameterMessage request) =>
        request.Find(AvpCodes.ServiceInformation, AvpCodes.Vendor3gpp)?.Find(AvpCodes.PsInformation, AvpCodes.Vendor3gpp);

    private static string? EquipmentInfo(IEnumerable<Avp> avps)
    {
        foreach (var info in avps.Where(a => a.Code == AvpCodes.UserEquipmentInfo && a.VendorId == 0))
        {
            if (info.Find(AvpCodes.UserEquipmentInfoType) is { } type && Safe(() => type.GetUInt32()) == ImeisvType && info.Find(AvpCodes.UserEquipmentInfoValue) is { } value)
            {
                return Digits(value);
            }
        }

        return null;
    }

    /// <summary>
    /// An IMEI(SV) value: ASCII digits as sent by Open5GS and most PGWs, or TBCD (TS 29.274 8.10: swapped nibbles, F filler)
    /// as sent by others; the text as is when it is neither.
    /// </summary>
    private static string? Digits(Avp avp)
    {
        var data = avp.Data.Span;
        if (data.Length == 0)
        {
            return null;
        }

        if (data.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            return System.Text.Encoding.ASCII.GetString(data);
        }

        if (data.Length is 8)
        {
            var digits = new char[16];
            var count = 0;
            foreach (var b in data)
            {
                foreach (var nibble in new[] { b & 0x0F, b >> 4 })
                {
                    if (nibble == 0x0F)
                    {
                        continue;
                    }

                    if (nibble > 9)
                    {
                        return Text(avp);
                    }

                    digits[count++] = (char)('0' + nibble);
                }
            }

            return new string(digits, 0, count);
        }

        return Text(avp);
    }

    private static string? RadioType(byte rat) => rat switch
    {
        1 => "3G",
        2 => "GSM",
        6 => "LTE",
        8 => "NB-IoT",
        9 => "LTE-M",
        _ => null,
    };

    /// <summary>Reads a TS 29.061 User-Location-Info: a type octet, then the TS 29.274 8.21 fields for CGI (0), TAI (128), ECGI (129) or TAI+ECGI (130).</summary>
    private static void Location(ReadOnlySpan<byte> uli, JsonObject cell)
    {
        if (uli.Length < 1)
        {
            return;
        }

        var type = uli[0];
        var rest = uli[1..];
        switch (type)
        {
            case 0 when rest.Length >= 7: // CGI: MCC/MNC, LAC, CI
                PlmnTo(rest, cell);
                cell["lac"] = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
                cell["ci"] = BinaryPrimitives.ReadUInt16BigEndian(rest[5..]);
                break;
            case 128 when rest.Length >= 5: // TAI
                PlmnTo(rest, cell);
                cell["tac"] = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
                break;
            case 129 when rest.Length >= 7: // ECGI
                PlmnTo(rest, cell);
                cell["eci"] = BinaryPrimitives.ReadUInt32BigEndian(rest[3..]) & 0x0FFF_FFFF;
                break;
            case 130 when rest.Length >= 12: // TAI then ECGI
                PlmnTo(rest, cell);
                cell["tac"] = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
                cell["eci"] = BinaryPrimitives.ReadUInt32BigEndian(rest[8..]) & 0x0FFF_FFFF;
                break;
        }
    }

    /// <summary>MCC and MNC from three TBCD octets (TS 24.008 10.5.1.3); nothing when a digit is not a digit.</summary>
    private static void PlmnTo(ReadOnlySpan<byte> plmn, JsonObject cell)
    {
        int[] d = [plmn[0] & 0x0F, plmn[0] >> 4, plmn[1] & 0x0F, plmn[2] & 0x0F, plmn[2] >> 4, plmn[1] >> 4];
        if (d[..5].Any(x => x > 9) || (d[5] > 9 && d[5] != 0x0F))
        {
            return;
        }

        cell["mcc"] = (d[0] * 100) + (d[1] * 10) + d[2];
        cell["mnc"] = d[5] == 0x0F ? (d[3] * 10) + d[4] : (d[3] * 100) + (d[4] * 10) + d[5];
    }

    private static string? Text(Avp avp)
    {
        try
        {
            return avp.GetString();
        }
        catch (DiameterAvpException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static T? Safe<T>(Func<T> read) where T : struct
    {
        try
        {
            return read();
        }
        catch (DiameterAvpException)
        {
            return null;
        }
    }

    private static IPAddress? Address(Avp avp)
    {
        try
        {
            return avp.GetAddress();
        }
        catch (DiameterAvpException)
        {
            return null;
        }
    }

    private static bool IsImsi(string value) => value.Length is >= 5 and <= 15 && value.All(char.IsAsciiDigit);
}
