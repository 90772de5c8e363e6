using System.Net;
using System.Text;

namespace Simlane.Diameter.Tests;

/// <summary>Encoding and decoding of every AVP type, vendor AVPs, grouped AVPs and padding; the typed accessors' errors.</summary>
public sealed class CodecTests
{
    private static DiameterMessage RoundTrip(DiameterMessage message)
    {
        var bytes = message.Encode();
        bytes.Length.ShouldBe(message.GetEncodedLength());
        var result = DiameterMessage.Decode(bytes);
        result.IsSuccess.ShouldBeTrue(result.ToString());
        result.Message!.Encode().ShouldBe(bytes); // decoding and encoding again gives the same bytes
        return result.Message;
    }

    private static Avp RoundTrip(Avp avp)
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(avp);
        return RoundTrip(message).Avps.ShouldHaveSingleItem();
    }

    [Fact]
    public void Every_avp_type_round_trips()
    {
        RoundTrip(Avp.OfOctets(AvpCodes.Class, new byte[] { 0, 1, 2, 0xff, 0x80 })).Data.ToArray().ShouldBe(new byte[] { 0, 1, 2, 0xff, 0x80 });
        RoundTrip(Avp.OfInt32(AvpCodes.Exponent, -3)).GetInt32().ShouldBe(-3);
        RoundTrip(Avp.OfInt64(AvpCodes.ValueDigits, long.MinValue + 1)).GetInt64().ShouldBe(long.MinValue + 1);
        RoundTrip(Avp.OfUInt32(AvpCodes.CcRequestNumber, uint.MaxValue)).GetUInt32().ShouldBe(uint.MaxValue);
        RoundTrip(Avp.OfUInt64(AvpCodes.CcTotalOctets, ulong.MaxValue - 1)).GetUInt64().ShouldBe(ulong.MaxValue - 1);
        RoundTrip(Avp.OfFloat32(AvpCodes.Exponent, 1.5f)).GetFloat32().ShouldBe(1.5f);
        RoundTrip(Avp.OfFloat64(AvpCodes.ValueDigits, -2.25)).GetFloat64().ShouldBe(-2.25);
        RoundTrip(Avp.OfAddress(AvpCodes.HostIpAddress, IPAddress.Parse("10.45.0.2"))).GetAddress().ShouldBe(IPAddress.Parse("10.45.0.2"));
        RoundTrip(Avp.OfAddress(AvpCodes.HostIpAddress, IPAddress.Parse("2001:db8::1"))).GetAddress().ShouldBe(IPAddress.Parse("2001:db8::1"));
        var time = new DateTimeOffset(2026, 12, 7, 9, 30, 15, TimeSpan.Zero);
        RoundTrip(Avp.OfTime(AvpCodes.EventTimestamp, time)).GetTime().ShouldBe(time);
        RoundTrip(Avp.OfString(AvpCodes.SessionId, "pgw.test;1234;5678;日本")).GetString().ShouldBe("pgw.test;1234;5678;日本");
        RoundTrip(Avp.OfString(AvpCodes.OriginHost, "pgw.example.org")).GetString().ShouldBe("pgw.example.org");
        RoundTrip(Avp.OfString(AvpCodes.RedirectHost, "aaa://ocs.example.org:3868;transport=tcp")).GetString()
            .ShouldBe("aaa://ocs.example.org:3868;transport=tcp");
        RoundTrip(Avp.OfUInt32(AvpCodes.CcRequestType, CcRequestTypes.Termination)).GetInt32().ShouldBe(3); // Enumerated
        var grouped = RoundTrip(Avp.OfGrouped(AvpCodes.SubscriptionId,
            [Avp.OfUInt32(AvpCodes.SubscriptionIdType, 1), Avp.OfString(AvpCodes.SubscriptionIdData, "001010123456789")]));
        grouped.Children.Count.ShouldBe(2);
        grouped.Find(AvpCodes.SubscriptionIdData)!.GetString().ShouldBe("001010123456789");
    }

    [Fact]
    public void Time_covers_both_ntp_eras()
    {
        var early = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var avp = Avp.OfTime(AvpCodes.EventTimestamp, early);
        avp.GetUInt32().ShouldBe(2_208_988_800u); // NTP seconds since 1900
        avp.GetTime().ShouldBe(early);

        var late = new DateTimeOffset(2040, 5, 1, 12, 0, 0, TimeSpan.Zero); // after the 2036 rollover: top bit clear
        var after = Avp.OfTime(AvpCodes.EventTimestamp, late);
        (after.GetUInt32() & 0x8000_0000u).ShouldBe(0u);
        after.GetTime().ShouldBe(late);

        Should.Throw<ArgumentOutOfRangeException>(() => Avp.OfTime(AvpCodes.EventTimestamp, new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Ipv4_mapped_addresses_are_written_as_ipv4()
    {
        var avp = Avp.OfAddress(AvpCodes.HostIpAddress, IPAddress.Parse("::ffff:192.0.2.1"));
        avp.Data.ToArray().ShouldBe(new byte[] { 0, 1, 192, 0, 2, 1 });
    }

    [Theory]
    [InlineData("", 8, 8)]
    [InlineData("a", 9, 12)]
    [InlineData("ab", 10, 12)]
    [InlineData("abc", 11, 12)]
    [InlineData("abcd", 12, 12)]
    [InlineData("abcde", 13, 16)]
    public void Avps_are_padded_to_four_bytes_and_the_length_field_excludes_the_padding(string value, int length, int encoded)
    {
        var bytes = Avp.OfString(AvpCodes.SessionId, value).Encode();
        bytes.Length.ShouldBe(encoded);
        (bytes[5] << 16 | bytes[6] << 8 | bytes[7]).ShouldBe(length);
        bytes[length..].ShouldAllBe(b => b == 0);

        // Padded AVPs one after another decode back to their values.
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(Avp.OfString(AvpCodes.SessionId, value));
        message.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestNumber, 9));
        var decoded = RoundTrip(message);
        decoded.SessionId.ShouldBe(value);
        decoded.Find(AvpCodes.CcRequestNumber)!.GetUInt32().ShouldBe(9u);
    }

    [Fact]
    public void Vendor_avps_carry_the_v_flag_and_vendor_id()
    {
        var avp = Avp.OfString(AvpCodes.ThreeGppImsi, "001010123456789", AvpCodes.Vendor3gpp);
        var bytes = avp.Encode();
        bytes[4].ShouldBe((byte)0xC0); // V and M
        (bytes[8] << 24 | bytes[9] << 16 | bytes[10] << 8 | bytes[11]).ShouldBe(10415);
        avp.Length.ShouldBe(12 + 15);

        var decoded = RoundTrip(avp);
        decoded.VendorId.ShouldBe(AvpCodes.Vendor3gpp);
        decoded.Mandatory.ShouldBeTrue();
        decoded.Definition!.Name.ShouldBe("3GPP-IMSI");
        decoded.GetString().ShouldBe("001010123456789");

        // The same code without a vendor is another AVP (User-Name).
        Avp.OfString(AvpCodes.UserName, "x").Definition!.Name.ShouldBe("User-Name");
        Avp.OfString(AvpCodes.UserName, "x").Encode()[4].ShouldBe((byte)0x40);
        Avp.OfUInt32(AvpCodes.ProductName, 0, mandatory: false).Encode()[4].ShouldBe((byte)0x00);
    }

    [Fact]
    public void Nested_grouped_avps_round_trip_with_vendor_children()
    {
        // Service-Information > PS-Information > (3GPP-Charging-Id, PDP-Address, User-Equipment-Info > ...)
        var serviceInformation = Avp.OfGrouped(AvpCodes.ServiceInformation,
        [
            Avp.OfGrouped(AvpCodes.PsInformation,
            [
                Avp.OfUInt32(AvpCodes.ThreeGppChargingId, 77, AvpCodes.Vendor3gpp),
                Avp.OfAddress(AvpCodes.PdpAddress, IPAddress.Parse("10.45.0.2"), AvpCodes.Vendor3gpp),
                Avp.OfOctets(AvpCodes.ThreeGppRatType, new byte[] { 6 }, AvpCodes.Vendor3gpp),
                Avp.OfString(AvpCodes.CalledStationId, "internet"),
                Avp.OfGrouped(AvpCodes.UserEquipmentInfo,
                [
                    Avp.OfUInt32(AvpCodes.UserEquipmentInfoType, UserEquipmentInfoTypes.Imeisv),
                    Avp.OfOctets(AvpCodes.UserEquipmentInfoValue, Encoding.ASCII.GetBytes("3534900698733190")),
                ]),
            ], AvpCodes.Vendor3gpp),
        ], AvpCodes.Vendor3gpp);

        var decoded = RoundTrip(serviceInformation);
        var ps = decoded.Find(AvpCodes.PsInformation, AvpCodes.Vendor3gpp).ShouldNotBeNull();
        ps.Definition!.Type.ShouldBe(AvpType.Grouped);
        ps.Find(AvpCodes.ThreeGppChargingId, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(77u);
        ps.Find(AvpCodes.PdpAddress, AvpCodes.Vendor3gpp)!.GetAddress().ShouldBe(IPAddress.Parse("10.45.0.2"));
        ps.Find(AvpCodes.ThreeGppRatType, AvpCodes.Vendor3gpp)!.Data.ToArray().ShouldBe(new byte[] { 6 });
        ps.Find(AvpCodes.CalledStationId)!.GetString().ShouldBe("internet");
        ps.Find(AvpCodes.ThreeGppChargingId).ShouldBeNull(); // vendor 0 is not vendor 10415
        var ue = ps.Find(AvpCodes.UserEquipmentInfo)!;
        Encoding.ASCII.GetString(ue.Find(AvpCodes.UserEquipmentInfoValue)!.Data.Span).ShouldBe("3534900698733190");
    }

    [Fact]
    public void Find_and_find_all_return_avps_in_order()
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(Avp.OfGrouped(AvpCodes.SubscriptionId, [Avp.OfUInt32(AvpCodes.SubscriptionIdType, 1), Avp.OfString(AvpCodes.SubscriptionIdData, "imsi")]));
        message.Avps.Add(Avp.OfGrouped(AvpCodes.SubscriptionId, [Avp.OfUInt32(AvpCodes.SubscriptionIdType, 0), Avp.OfString(AvpCodes.SubscriptionIdData, "msisdn")]));
        var decoded = RoundTrip(message);
        decoded.FindAll(AvpCodes.SubscriptionId).Select(s => s.Find(AvpCodes.SubscriptionIdData)!.GetString()).ShouldBe(["imsi", "msisdn"]);
        decoded.Find(AvpCodes.SessionId).ShouldBeNull();
        decoded.SessionId.ShouldBeNull();
        decoded.ResultCode.ShouldBeNull();
        decoded.Avps[0].FindAll(AvpCodes.SubscriptionIdType).ShouldHaveSingleItem().GetUInt32().ShouldBe(1u);
    }

    [Fact]
    public void Header_fields_and_flags_round_trip()
    {
        var message = new DiameterMessage
        {
            CommandCode = DiameterCommands.ReAuth,
            ApplicationId = DiameterApplications.CreditControl,
            HopByHopId = 0xDEADBEEF,
            EndToEndId = 0x01020304,
            IsRequest = true,
            IsProxiable = true,
            IsRetransmission = true,
        };
        var bytes = message.Encode();
        bytes[..20].ShouldBe(Convert.FromHexString("01000014" + "D0000102" + "00000004" + "DEADBEEF" + "01020304"));
        var decoded = RoundTrip(message);
        (decoded.CommandCode, decoded.ApplicationId, decoded.HopByHopId, decoded.EndToEndId).ShouldBe((258u, 4u, 0xDEADBEEFu, 0x01020304u));
        (decoded.IsRequest, decoded.IsProxiable, decoded.IsError, decoded.IsRetransmission).ShouldBe((true, true, false, true));
        decoded.Name.ShouldBe("RAR");
    }

    [Fact]
    public void Encode_into_a_buffer_writer_gives_the_same_bytes()
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(Avp.OfString(AvpCodes.SessionId, "s;1"));
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        message.Encode(writer);
        writer.WrittenSpan.ToArray().ShouldBe(message.Encode());
    }

    [Fact]
    public void Accessors_reject_payloads_of_the_wrong_size_with_5014_and_the_avp()
    {
        var threeBytes = Avp.OfOctets(AvpCodes.CcRequestNumber, new byte[] { 0, 0, 1 });
        var e = Should.Throw<DiameterAvpException>(() => threeBytes.GetUInt32());
        e.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        e.Avp.ShouldBeSameAs(threeBytes);
        e.Message.ShouldContain("CC-Request-Number");

        Should.Throw<DiameterAvpException>(() => threeBytes.GetInt32()).ResultCode.ShouldBe(5014u);
        Should.Throw<DiameterAvpException>(() => threeBytes.GetTime()).ResultCode.ShouldBe(5014u);
        Should.Throw<DiameterAvpException>(() => Avp.OfUInt32(AvpCodes.CcTotalOctets, 1).GetUInt64()).ResultCode.ShouldBe(5014u);
        Avp.OfUInt64(AvpCodes.CcTime, 1).GetInt64().ShouldBe(1); // the size is what is checked, not the definition's type
    }

    [Fact]
    public void Accessors_reject_bad_values_with_5004()
    {
        var badUtf8 = Avp.OfOctets(AvpCodes.SessionId, new byte[] { (byte)'a', 0xC3, 0x28 });
        var e = Should.Throw<DiameterAvpException>(() => badUtf8.GetString());
        e.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpValue);
        e.Avp.ShouldBeSameAs(badUtf8);

        var family3 = Avp.OfOctets(AvpCodes.HostIpAddress, new byte[] { 0, 3, 1, 2, 3, 4 });
        Should.Throw<DiameterAvpException>(() => family3.GetAddress()).ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpValue);
        var shortV4 = Avp.OfOctets(AvpCodes.HostIpAddress, new byte[] { 0, 1, 1, 2, 3 });
        Should.Throw<DiameterAvpException>(() => shortV4.GetAddress()).ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        var shortV6 = Avp.OfOctets(AvpCodes.HostIpAddress, new byte[] { 0, 2, 1, 2, 3, 4 });
        Should.Throw<DiameterAvpException>(() => shortV6.GetAddress()).ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        Should.Throw<DiameterAvpException>(() => Avp.OfOctets(AvpCodes.HostIpAddress, new byte[] { 0 }).GetAddress())
            .ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
    }

    [Fact]
    public void Unknown_avps_decode_with_no_definition_and_keep_their_bytes()
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(Avp.OfOctets(99_999, new byte[] { 1, 2, 3 }, vendorId: 12345, mandatory: false));
        var avp = RoundTrip(message).Avps.ShouldHaveSingleItem();
        avp.Definition.ShouldBeNull();
        (avp.Code, avp.VendorId, avp.Mandatory).ShouldBe((99_999u, 12345u, false));
        avp.Data.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        avp.Name.ShouldBe("AVP 99999/12345");
        avp.Children.ShouldBeEmpty();
    }

    [Fact]
    public void Oversized_messages_are_refused_when_encoding()
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        var big = new byte[8 * 1024 * 1024];
        message.Avps.Add(Avp.OfOctets(AvpCodes.Class, big));
        message.Avps.Add(Avp.OfOctets(AvpCodes.Class, big));
        Should.Throw<InvalidOperationException>(() => message.Encode());
    }
}
