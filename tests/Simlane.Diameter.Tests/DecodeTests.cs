using System.Net;

namespace Simlane.Diameter.Tests;

/// <summary>Decoding hand-built bytes (RFC 6733 layouts written out byte by byte), and every decode failure.</summary>
public sealed class DecodeTests
{
    private static byte[] Hex(params string[] parts) => Convert.FromHexString(string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A 20-byte header: version 1, the length, flags, command, application 4, hop-by-hop 0x11, end-to-end 0x22.</summary>
    private static string Header(int length, string flags = "80", string command = "000110", string application = "00000004") =>
        $"01{length:X6} {flags}{command} {application} 00000011 00000022 ";

    // A CER as freeDiameter sends it (Origin-Host pgw.test, realm test, 127.0.0.1, Vendor-Id 0, Product-Name
    // freeDiameter, Auth-Application-Id 4, Gx in Vendor-Specific-Application-Id, Supported-Vendor-Id 10415).
    private static readonly byte[] Cer = Hex(
        "01000098 80000101 00000000 00000001 00000002",
        "00000108 40000010 7067772e 74657374",                    // Origin-Host "pgw.test"
        "00000128 4000000C 74657374",                             // Origin-Realm "test"
        "00000101 4000000E 00017F00 00010000",                    // Host-IP-Address IPv4 127.0.0.1 (+2 bytes padding)
        "0000010A 4000000C 00000000",                             // Vendor-Id 0
        "0000010D 00000014 66726565 4469616d 65746572",           // Product-Name "freeDiameter" (no M flag)
        "00000102 4000000C 00000004",                             // Auth-Application-Id 4
        "00000104 40000020 0000010A 4000000C 000028AF 00000102 4000000C 01000016", // Vendor-Specific-Application-Id {10415, 16777238}
        "00000109 4000000C 000028AF");                            // Supported-Vendor-Id 10415

    [Fact]
    public void A_hand_built_cer_decodes_field_by_field_and_encodes_back_to_the_same_bytes()
    {
        var result = DiameterMessage.Decode(Cer);
        result.IsSuccess.ShouldBeTrue(result.ToString());
        var cer = result.Message!;
        (cer.CommandCode, cer.ApplicationId, cer.HopByHopId, cer.EndToEndId).ShouldBe((257u, 0u, 1u, 2u));
        (cer.IsRequest, cer.IsProxiable, cer.IsError, cer.IsRetransmission).ShouldBe((true, false, false, false));
        cer.OriginHost.ShouldBe("pgw.test");
        cer.OriginRealm.ShouldBe("test");
        cer.Find(AvpCodes.HostIpAddress)!.GetAddress().ShouldBe(IPAddress.Loopback);
        cer.Find(AvpCodes.VendorId)!.GetUInt32().ShouldBe(0u);
        var product = cer.Find(AvpCodes.ProductName)!;
        (product.GetString(), product.Mandatory).ShouldBe(("freeDiameter", false));
        cer.Find(AvpCodes.AuthApplicationId)!.GetUInt32().ShouldBe(4u);
        var vendorSpecific = cer.Find(AvpCodes.VendorSpecificApplicationId)!;
        vendorSpecific.Children.Count.ShouldBe(2);
        vendorSpecific.Find(AvpCodes.VendorId)!.GetUInt32().ShouldBe(10415u);
        vendorSpecific.Find(AvpCodes.AuthApplicationId)!.GetUInt32().ShouldBe(16777238u);
        cer.Find(AvpCodes.SupportedVendorId)!.GetUInt32().ShouldBe(10415u);
        cer.Avps.Select(a => a.Definition!.Name).ShouldBe(["Origin-Host", "Origin-Realm", "Host-IP-Address", "Vendor-Id", "Product-Name",
            "Auth-Application-Id", "Vendor-Specific-Application-Id", "Supported-Vendor-Id"]);
        cer.UnsupportedMandatory().ShouldBeEmpty();
        cer.Encode().ShouldBe(Cer);
    }

    [Fact]
    public void A_hand_built_3gpp_grouped_avp_decodes_with_vendor_ids()
    {
        var bytes = Hex(Header(20 + 40),
            "00000369 C0000028 000028AF",                 // Service-Information (V, M, vendor 10415), 40 bytes
            "0000036A C000001C 000028AF",                 //   PS-Information, 28 bytes
            "00000002 C0000010 000028AF 00000007");       //     3GPP-Charging-Id 7
        var message = DiameterMessage.Decode(bytes).Message.ShouldNotBeNull();
        var si = message.Avps.ShouldHaveSingleItem();
        (si.Code, si.VendorId, si.Mandatory, si.Definition!.Name).ShouldBe((873u, 10415u, true, "Service-Information"));
        var ps = si.Children.ShouldHaveSingleItem();
        ps.Definition!.Name.ShouldBe("PS-Information");
        var chargingId = ps.Children.ShouldHaveSingleItem();
        (chargingId.Definition!.Name, chargingId.GetUInt32()).ShouldBe(("3GPP-Charging-Id", 7u));
        message.Encode().ShouldBe(bytes);
    }

    [Fact]
    public void An_avp_length_under_the_header_size_is_5014_with_its_header_as_failed_avp()
    {
        var bytes = Hex(Header(40),
            "00000107 4000000B 733B3100",                 // Session-Id "s;1"
            "0000010C 40000005");                         // Result-Code claiming 5 bytes: shorter than its 8-byte header
        var result = DiameterMessage.Decode(bytes);
        result.IsSuccess.ShouldBeFalse();
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        result.FailedAvp.ToArray().ShouldBe(Hex("0000010C 40000005"));
        result.PartialAvps.ShouldHaveSingleItem().GetString().ShouldBe("s;1");
        result.Header!.Value.CommandCode.ShouldBe(272u);

        var answer = result.CreateErrorAnswer("ocs.test", "test").ShouldNotBeNull();
        (answer.CommandCode, answer.ApplicationId, answer.HopByHopId, answer.EndToEndId).ShouldBe((272u, 4u, 0x11u, 0x22u));
        (answer.IsRequest, answer.IsError).ShouldBe((false, false));
        answer.Avps[0].Code.ShouldBe(AvpCodes.SessionId);
        answer.ResultCode.ShouldBe(5014u);
        answer.Find(AvpCodes.ErrorMessage)!.Mandatory.ShouldBeFalse();
        answer.Find(AvpCodes.FailedAvp)!.Data.ToArray().ShouldBe(Hex("0000010C 40000005"));
        // Its Failed-AVP carries the bad length, as RFC 6733 says; decoding keeps it as bytes instead of failing the answer.
        var echoed = DiameterMessage.Decode(answer.Encode()).Message.ShouldNotBeNull();
        var failedAvp = echoed.Find(AvpCodes.FailedAvp)!;
        failedAvp.Children.ShouldBeEmpty();
        failedAvp.Data.ToArray().ShouldBe(Hex("0000010C 40000005"));
    }

    [Fact]
    public void A_vendor_avp_length_under_twelve_is_5014_with_its_full_header()
    {
        var complete = DiameterMessage.Decode(Hex(Header(32), "00000369 C000000A 000028AF"));
        complete.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        complete.FailedAvp.ToArray().ShouldBe(Hex("00000369 C000000A 000028AF"));

        // Only 8 bytes left: the header is zero-padded to its 12 bytes (RFC 6733 7.1.5).
        var truncated = DiameterMessage.Decode(Hex(Header(28), "00000369 C0000009"));
        truncated.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        truncated.FailedAvp.ToArray().ShouldBe(Hex("00000369 C0000009 00000000"));
    }

    [Fact]
    public void An_avp_running_past_the_message_end_is_5014_with_its_header_and_a_zero_payload()
    {
        var result = DiameterMessage.Decode(Hex(Header(32), "0000010C 40000040 000007D1")); // Result-Code claiming 64 bytes
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        result.FailedAvp.ToArray().ShouldBe(Hex("0000010C 40000040 00000000")); // Unsigned32: 4 zero bytes
        result.Error!.ShouldContain("Result-Code");

        var address = DiameterMessage.Decode(Hex(Header(32), "00000101 40000040 00010A00")); // Host-IP-Address claiming 64
        address.FailedAvp.ToArray().ShouldBe(Hex("00000101 40000040 00000000 00000000")); // Address: 6 zero bytes, padded

        var unknown = DiameterMessage.Decode(Hex(Header(32), "0001869F 40000040 00000000")); // unknown code: no payload
        unknown.FailedAvp.ToArray().ShouldBe(Hex("0001869F 40000040"));
    }

    [Fact]
    public void Avps_that_do_not_fill_the_message_are_5015()
    {
        var trailing = DiameterMessage.Decode(Hex(Header(36), "00000107 4000000B 733B3100", "00000000"));
        trailing.ResultCode.ShouldBe(DiameterResultCodes.InvalidMessageLength);
        trailing.FailedAvp.IsEmpty.ShouldBeTrue();
        trailing.CreateErrorAnswer("ocs.test", "test")!.Find(AvpCodes.FailedAvp).ShouldBeNull();

        var lengthField = DiameterMessage.Decode(Hex(Header(36), "00000107 4000000B 733B3100")); // says 36, is 32
        lengthField.ResultCode.ShouldBe(DiameterResultCodes.InvalidMessageLength);

        var unaligned = DiameterMessage.Decode(Hex(Header(30), "00000107 4000000A 733B")); // 30 bytes, not a multiple of 4
        unaligned.ResultCode.ShouldBe(DiameterResultCodes.InvalidMessageLength);

        var tooShort = DiameterMessage.Decode(Hex("01000010 80000110 00000004 00000011"));
        tooShort.ResultCode.ShouldBe(DiameterResultCodes.InvalidMessageLength);
        tooShort.Header.ShouldBeNull();
        tooShort.CreateErrorAnswer("ocs.test", "test").ShouldBeNull();
    }

    [Fact]
    public void A_request_with_the_e_bit_is_3008_answered_with_the_e_bit()
    {
        var result = DiameterMessage.Decode(Hex(Header(32, "A0"), "00000107 4000000B 733B3100")); // R and E
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidHdrBits);
        result.PartialAvps.ShouldHaveSingleItem(); // the AVPs were read, for Session-Id
        var answer = result.CreateErrorAnswer("ocs.test", "test");
        answer.ShouldNotBeNull();
        (answer.IsError, answer.IsRequest, answer.ResultCode, answer.SessionId).ShouldBe((true, false, 3008u, "s;1"));
    }

    [Theory]
    [InlineData("81")] // a request with a reserved bit
    [InlineData("08")] // an answer with a reserved bit
    public void Reserved_header_bits_are_ignored(string flags)
    {
        var result = DiameterMessage.Decode(Hex(Header(32, flags), "00000107 4000000B 733B3100"));
        result.IsSuccess.ShouldBeTrue(result.Error);
        result.Message!.SessionId.ShouldBe("s;1");
    }

    [Fact]
    public void Version_two_is_5011()
    {
        var result = DiameterMessage.Decode(Hex("02000014 80000110 00000004 00000011 00000022"));
        result.ResultCode.ShouldBe(DiameterResultCodes.UnsupportedVersion);
        result.Header!.Value.Version.ShouldBe((byte)2);
    }

    [Fact]
    public void A_bad_child_inside_a_grouped_avp_is_5014_with_the_child_wrapped_in_its_group()
    {
        var bytes = Hex(Header(20 + 32),
            "000001BB 40000020",                          // Subscription-Id, 32 bytes
            "000001BC 4000000C 61626364",                 //   Subscription-Id-Data "abcd"
            "000001C2 40000020 00000001");                //   Subscription-Id-Type claiming 32 bytes: past the group's end
        var result = DiameterMessage.Decode(bytes);
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        // The group's header (its length now 20: header + the offending child) around the child's header and zero payload.
        result.FailedAvp.ToArray().ShouldBe(Hex("000001BB 40000014", "000001C2 40000020 00000000"));
        result.Error!.ShouldContain("Subscription-Id-Type");
    }

    [Fact]
    public void Trailing_bytes_inside_a_grouped_avp_are_5014()
    {
        // Subscription-Id of 14 bytes: 6 bytes of payload, too few for an AVP header (then 2 bytes of message padding).
        var bytes = Hex(Header(20 + 16), "000001BB 4000000E", "000001C2 4000", "0000");
        var result = DiameterMessage.Decode(bytes);
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        result.FailedAvp.ToArray().ShouldBe(Hex("000001BB 40000010", "000001C2 40000000"));
    }

    [Fact]
    public void A_last_child_without_its_padding_is_accepted()
    {
        // Subscription-Id whose length (8 + 12 + 11 = 31) leaves out its last child's padding byte.
        var bytes = Hex(Header(20 + 32),
            "000001BB 4000001F",
            "000001C2 4000000C 00000001",
            "000001BC 4000000B 616263 00");
        var message = DiameterMessage.Decode(bytes).Message.ShouldNotBeNull();
        message.Avps.ShouldHaveSingleItem().Find(AvpCodes.SubscriptionIdData)!.GetString().ShouldBe("abc");
    }

    private static Avp Nest(int levels)
    {
        var avp = Avp.OfUInt32(AvpCodes.RatingGroup, 1);
        for (int i = 0; i < levels; i++)
        {
            avp = Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl, [avp]);
        }
        return avp;
    }

    [Fact]
    public void Grouped_avps_nested_too_deep_are_5004_and_the_limit_itself_decodes()
    {
        var atLimit = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        atLimit.Avps.Add(Nest(DiameterMessage.MaxGroupedDepth));
        var decoded = DiameterMessage.Decode(atLimit.Encode());
        decoded.IsSuccess.ShouldBeTrue(decoded.ToString());

        var tooDeep = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        tooDeep.Avps.Add(Nest(DiameterMessage.MaxGroupedDepth + 1));
        var result = DiameterMessage.Decode(tooDeep.Encode());
        result.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpValue);
        // 16 wrapping group headers around the 17th group's header with an empty payload.
        result.FailedAvp.Length.ShouldBe(8 * (DiameterMessage.MaxGroupedDepth + 1));
        var failed = result.FailedAvp.ToArray();
        (failed[5] << 16 | failed[6] << 8 | failed[7]).ShouldBe(failed.Length);
    }

    [Fact]
    public void Unsupported_mandatory_avps_are_found_at_top_level_and_inside_known_groups()
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        message.Avps.Add(Avp.OfString(AvpCodes.SessionId, "s;1"));
        message.Avps.Add(Avp.OfUInt32(99_999, 1));                                   // unknown, M: reported
        message.Avps.Add(Avp.OfUInt32(99_998, 1, mandatory: false));                 // unknown, not M: ignored
        message.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl,
        [
            Avp.OfUInt32(AvpCodes.RatingGroup, 10),
            Avp.OfUInt32(5555, 2, AvpCodes.Vendor3gpp),                            // unknown 3GPP AVP, M: reported
            Avp.OfGrouped(AvpCodes.UsedServiceUnit, [Avp.OfUInt32(7777, 3, vendorId: 9)]), // two levels down: reported
        ]));
        message.Avps.Add(Avp.OfOctets(88_888, Avp.OfUInt32(66_666, 1).Encode()));    // unknown group, M: itself, not its child
        var decoded = DiameterMessage.Decode(message.Encode()).Message!;

        var unsupported = decoded.UnsupportedMandatory().ToList();
        unsupported.Select(a => (a.Code, a.VendorId)).ShouldBe([(99_999u, 0u), (5555u, 10415u), (7777u, 9u), (88_888u, 0u)]);
        AvpDictionary.UnsupportedMandatory(decoded).Count().ShouldBe(4);
    }

    [Fact]
    public void Decode_copies_the_input()
    {
        var bytes = (byte[])Cer.Clone();
        var message = DiameterMessage.Decode(bytes).Message!;
        Array.Clear(bytes);
        message.OriginHost.ShouldBe("pgw.test");
    }
}
