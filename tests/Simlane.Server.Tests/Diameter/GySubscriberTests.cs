using System.Net;
using System.Text.Json.Nodes;
using Simlane.Diameter.Codec;
using Simlane.Server.Diameter;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Diameter;

/// <summary>What a Credit-Control-Request's AVPs say about the subscriber, in the forms different PGWs send.</summary>
public sealed class GySubscriberTests
{
    [Fact]
    public void Imsi_FromSubscriptionIdEndUserImsi_Else3gppImsi_NeverAnotherType()
    {
        GySubscriber.Imsi(Ccr(SubscriptionId(0, "819012345678"), SubscriptionId(1, "001010123456789"))).ShouldBe("001010123456789");
        GySubscriber.Imsi(Ccr(Avp.OfString(AvpCodes.ThreeGppImsi, "001010000000042", AvpCodes.Vendor3gpp))).ShouldBe("001010000000042");
        GySubscriber.Imsi(Ccr(SubscriptionId(0, "819012345678"))).ShouldBeNull("an MSISDN is not an IMSI");
        GySubscriber.Imsi(Ccr(SubscriptionId(1, "0010A0123456789"))).ShouldBeNull("not digits");
        GySubscriber.Imsi(Ccr(SubscriptionId(1, "0010101234567890"))).ShouldBeNull("16 digits");
    }

    [Fact]
    public void Imei_AsciiInPsInformation_TbcdAtTopLevel_Or3gppImeisv_AllNormalizedToTheImei()
    {
        // Open5GS: 16 ASCII digits in Service-Information/PS-Information/User-Equipment-Info.
        var ascii = Ccr(ServiceInformation(EquipmentInfo(System.Text.Encoding.ASCII.GetBytes(Imei1[..14] + "03"))));
        GySubscriber.Imei(ascii).ShouldBe((Imei1, Imei1));

        // TBCD (TS 29.274 8.10): digits in swapped nibbles, an F filler for an odd count.
        var tbcd = Ccr(EquipmentInfo(Tbcd(Imei2[..14] + "01")));
        GySubscriber.Imei(tbcd).ShouldBe((Imei2, Imei2));

        var vendor = Ccr(Avp.OfString(AvpCodes.ThreeGppImeisv, Imei1, AvpCodes.Vendor3gpp));
        GySubscriber.Imei(vendor).ShouldBe((Imei1, Imei1));

        GySubscriber.Imei(Ccr()).ShouldBe((null, null));
        GySubscriber.Imei(Ccr(EquipmentInfo("garbage"u8.ToArray()))).ShouldBe(("garbage", null), "neither an IMEI nor an IMEISV: satisfies no lock, not stored");
    }

    [Fact]
    public void ApnAddressAndCell_FromPsInformation()
    {
        // 3GPP-User-Location-Info type 130 (TAI and ECGI) of MCC 440, MNC 10: TAC 0x1234, ECI 0x0ABCDEF.
        byte[] taiEcgi = [130, 0x44, 0xF0, 0x01, 0x12, 0x34, 0x44, 0xF0, 0x01, 0x00, 0xAB, 0xCD, 0xEF];
        var ccr = Ccr(ServiceInformation(
            Avp.OfString(AvpCodes.CalledStationId, "soracom.io"),
            Avp.OfAddress(AvpCodes.PdpAddress, IPAddress.Parse("10.45.0.7"), AvpCodes.Vendor3gpp),
            Avp.OfOctets(AvpCodes.ThreeGppRatType, new byte[] { 8 }, AvpCodes.Vendor3gpp),
            Avp.OfOctets(AvpCodes.ThreeGppUserLocationInfo, taiEcgi, AvpCodes.Vendor3gpp)));

        GySubscriber.Apn(ccr).ShouldBe("soracom.io");
        GySubscriber.UeIpAddress(ccr).ShouldBe("10.45.0.7");
        var cell = JsonNode.Parse(GySubscriber.CellJson(ccr)!)!;
        cell["radioType"]!.GetValue<string>().ShouldBe("NB-IoT");
        (cell["mcc"]!.GetValue<int>(), cell["mnc"]!.GetValue<int>()).ShouldBe((440, 10));
        cell["tac"]!.GetValue<int>().ShouldBe(0x1234);
        cell["eci"]!.GetValue<long>().ShouldBe(0x0ABCDEF);
    }

    [Fact]
    public void Cell_CgiWithThreeDigitMnc_AndUnreadableLocationIsLeftOut()
    {
        // CGI (type 0) of MCC 310, MNC 260: LAC 0x0102, CI 0x0304.
        byte[] cgi = [0, 0x13, 0x00, 0x62, 0x01, 0x02, 0x03, 0x04];
        var cell = JsonNode.Parse(GySubscriber.CellJson(Ccr(Avp.OfOctets(AvpCodes.ThreeGppUserLocationInfo, cgi, AvpCodes.Vendor3gpp)))!)!;
        (cell["mcc"]!.GetValue<int>(), cell["mnc"]!.GetValue<int>(), cell["lac"]!.GetValue<int>(), cell["ci"]!.GetValue<int>()).ShouldBe((310, 260, 0x0102, 0x0304));

        GySubscriber.CellJson(Ccr(Avp.OfOctets(AvpCodes.ThreeGppUserLocationInfo, new byte[] { 130, 1 }, AvpCodes.Vendor3gpp))).ShouldBeNull("too short for its type");
        GySubscriber.CellJson(Ccr(Avp.OfOctets(AvpCodes.ThreeGppRatType, new byte[] { 200 }, AvpCodes.Vendor3gpp))).ShouldBeNull("an unknown RAT type");
    }

    [Fact]
    public void Used_SumsEveryUnit_InputIsUpload_TotalOnlyCountsAsDownload_NoneIsNull()
    {
        var ccr = Ccr(
            Mscc(Used(input: 100, output: 200)),
            Mscc(Used(input: 1, output: 2), Used(total: 50)),
            Used(input: 10, output: 0));

        GyApplication.Used(ccr).ShouldBe(new Simlane.Core.Usage.TrafficTotals(111, 252, 0, 0));
        GyApplication.Used(Ccr(Mscc())).ShouldBeNull();
        GyApplication.Used(Ccr(Mscc(Used(input: ulong.MaxValue, output: 0)), Mscc(Used(input: ulong.MaxValue, output: 0))))!.Value.UploadBytes
            .ShouldBe(long.MaxValue, "absurd reports are clamped, never wrapped");
    }

    private static DiameterMessage Ccr(params Avp[] avps)
    {
        var ccr = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        ccr.Avps.AddRange(avps);
        return DiameterMessage.Decode(ccr.Encode()).Message!; // as the node hands it over: decoded from bytes
    }

    private static Avp SubscriptionId(uint type, string data) =>
        Avp.OfGrouped(AvpCodes.SubscriptionId, [Avp.OfUInt32(AvpCodes.SubscriptionIdType, type), Avp.OfString(AvpCodes.SubscriptionIdData, data)]);

    private static Avp EquipmentInfo(byte[] value) =>
        Avp.OfGrouped(AvpCodes.UserEquipmentInfo, [Avp.OfUInt32(AvpCodes.UserEquipmentInfoType, 0), Avp.OfOctets(AvpCodes.UserEquipmentInfoValue, value)], mandatory: false);

    private static Avp ServiceInformation(params Avp[] ps) =>
        Avp.OfGrouped(AvpCodes.ServiceInformation, [Avp.OfGrouped(AvpCodes.PsInformation, ps, AvpCodes.Vendor3gpp)], AvpCodes.Vendor3gpp);

    private static Avp Mscc(params Avp[] children) => Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl, children);

    private static Avp Used(ulong? input = null, ulong? output = null, ulong? total = null)
    {
        var children = new List<Avp>();
        if (input is { } i)
        {
            children.Add(Avp.OfUInt64(AvpCodes.CcInputOctets, i));
        }

        if (output is { } o)
        {
            children.Add(Avp.OfUInt64(AvpCodes.CcOutputOctets, o));
        }

        if (total is { } t)
        {
            children.Add(Avp.OfUInt64(AvpCodes.CcTotalOctets, t));
        }

        return Avp.OfGrouped(AvpCodes.UsedServiceUnit, children);
    }

    private static byte[] Tbcd(string digits)
    {
        var padded = digits.Length % 2 == 0 ? digits : digits + "F";
        return Enumerable.Range(0, padded.Length / 2)
            .Select(i => (byte)((Nibble(padded[(2 * i) + 1]) << 4) | Nibble(padded[2 * i])))
            .ToArray();

        static int Nibble(char c) => c == 'F' ? 0xF : c - '0';
    }
}
