using System.Net;
using System.Net.Sockets;
using System.Text;
using Simlane.Radius.Codec;
using Simlane.Radius.Tests.Infrastructure;

namespace Simlane.Radius.Tests;

public sealed class CodecTests
{
    // RFC 2865 7.1: user "nemo", password "arctangent", secret "xyzzy5461".
    private static readonly byte[] Rfc2865AccessRequest = Convert.FromHexString(
        "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d93d413ce3196e43f782a0aee0406c0a80110050600000003");
    private static readonly byte[] Rfc2865AccessAccept = Convert.FromHexString(
        "0200002686fe220e7624ba2a1005f6bf9b55e0b20606000000010f06000000000e06c0a80103");
    private static readonly byte[] Rfc2865Secret = "xyzzy5461"u8.ToArray();

    [Fact]
    public void Rfc2865_example_decodes_and_its_password_unhides()
    {
        RadiusPacket.TryDecode(Rfc2865AccessRequest, out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.Code.ShouldBe(RadiusCode.AccessRequest);
        packet.Identifier.ShouldBe((byte)0);
        packet.GetText(RadiusAttributes.UserName).ShouldBe("nemo");
        packet.GetIPv4Address(RadiusAttributes.NasIpAddress).ShouldBe(IPAddress.Parse("192.168.1.16"));
        packet.GetUInt32(RadiusAttributes.NasPort).ShouldBe(3u);
        packet.HasMessageAuthenticator.ShouldBeFalse();

        packet.TryGet(RadiusAttributes.UserPassword, out var password).ShouldBeTrue();
        var clear = RadiusAuthenticators.UnhidePassword(packet.Value(password), packet.Authenticator, Rfc2865Secret);
        Encoding.UTF8.GetString(clear!).ShouldBe("arctangent");
        RadiusAuthenticators.HidePassword("arctangent"u8, packet.Authenticator, Rfc2865Secret).ShouldBe(packet.Value(password).ToArray());
    }

    [Fact]
    public void Rfc2865_example_reply_is_encoded_byte_for_byte_and_verifies()
    {
        RadiusPacket.TryDecode(Rfc2865AccessRequest, out var request).ShouldBe(RadiusDecodeError.None);
        var buffer = new byte[RadiusPacket.MaxSize];
        var writer = new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 0);
        writer.Add(RadiusAttributes.ServiceType, RadiusAttributes.ServiceType.Values["Login-User"]);
        writer.Add(RadiusAttributes.FindByName("Login-Service") ?? new RadiusAttributeDefinition("Login-Service", 0, 15, RadiusDataType.Number), 0);
        writer.Add(RadiusAttributes.FindByName("Login-IP-Host") ?? new RadiusAttributeDefinition("Login-IP-Host", 0, 14, RadiusDataType.IPv4Address), [192, 168, 1, 3]);
        int length = writer.Finish();
        RadiusAuthenticators.SignResponse(buffer.AsSpan(0, length), -1, request!.Authenticator, Rfc2865Secret);

        buffer[..length].ShouldBe(Rfc2865AccessAccept);
        RadiusAuthenticators.VerifyResponseAuthenticator(Rfc2865AccessAccept, request.Authenticator, Rfc2865Secret).ShouldBeTrue();
        RadiusAuthenticators.VerifyResponseAuthenticator(Rfc2865AccessAccept, request.Authenticator, "wrong"u8).ShouldBeFalse();
    }

    [Fact]
    public async Task Pyrad_accounting_request_with_3gpp_and_gigawords_decodes_and_authenticates()
    {
        var json = await RadiusPeer.PyradAsync("build", new
        {
            secret = "s3cret",
            kind = "acct",
            attrs = new object[][]
            {
                ["Acct-Status-Type", "Interim-Update"], ["Acct-Session-Id", "sess-1"], ["3GPP-IMSI", "440103456789012"],
                ["3GPP-RAT-Type", 6], ["3GPP-Charging-ID", 4_000_000_000L], ["Acct-Input-Octets", 7], ["Acct-Input-Gigawords", 3],
                ["Event-Timestamp", 1_700_000_000], ["WISPr-Bandwidth-Max-Up", 64_000], ["Framed-IP-Address", "10.1.2.3"],
            },
        });
        var bytes = RadiusPeer.Hex(json["request"]);

        RadiusPacket.TryDecode(bytes, out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.Code.ShouldBe(RadiusCode.AccountingRequest);
        packet.GetUInt32(RadiusAttributes.AcctStatusType).ShouldBe(3u);
        packet.GetText(RadiusAttributes.AcctSessionId).ShouldBe("sess-1");
        packet.GetText(RadiusAttributes.ThreeGppImsi).ShouldBe("440103456789012");
        packet.GetUInt32(RadiusAttributes.ThreeGppRatType).ShouldBe(6u);
        packet.GetUInt32(RadiusAttributes.ThreeGppChargingId).ShouldBe(4_000_000_000u);
        packet.GetCounter64(RadiusAttributes.AcctInputOctets, RadiusAttributes.AcctInputGigawords).ShouldBe((3UL << 32) + 7);
        packet.GetTime(RadiusAttributes.EventTimestamp).ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        packet.GetUInt32(RadiusAttributes.WisprBandwidthMaxUp).ShouldBe(64_000u);
        packet.GetIPv4Address(RadiusAttributes.FramedIpAddress).ShouldBe(IPAddress.Parse("10.1.2.3"));

        RadiusAuthenticators.VerifyRequestAuthenticator(bytes, "s3cret"u8).ShouldBeTrue();
        RadiusAuthenticators.VerifyRequestAuthenticator(bytes, "s3creT"u8).ShouldBeFalse();
        packet.HasMessageAuthenticator.ShouldBeTrue();
        RadiusAuthenticators.VerifyMessageAuthenticator(bytes, packet.MessageAuthenticatorOffset, [], "s3cret"u8).ShouldBeTrue();
        RadiusAuthenticators.VerifyMessageAuthenticator(bytes, packet.MessageAuthenticatorOffset, [], "other"u8).ShouldBeFalse();
    }

    [Fact]
    public async Task Pyrad_hidden_password_of_more_than_one_block_unhides()
    {
        const string password = "a password longer than sixteen bytes, and then some";
        var json = await RadiusPeer.PyradAsync("build", new
        {
            secret = "s3cret",
            kind = "auth",
            attrs = new object[][] { ["User-Name", "nemo"], ["User-Password", password] },
        });
        var bytes = RadiusPeer.Hex(json["request"]);
        RadiusPacket.TryDecode(bytes, out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.TryGet(RadiusAttributes.UserPassword, out var hidden).ShouldBeTrue();

        Encoding.UTF8.GetString(RadiusAuthenticators.UnhidePassword(packet.Value(hidden), packet.Authenticator, "s3cret"u8)!).ShouldBe(password);
        RadiusAuthenticators.HidePassword(Encoding.UTF8.GetBytes(password), packet.Authenticator, "s3cret"u8).ShouldBe(packet.Value(hidden).ToArray());
        RadiusAuthenticators.VerifyMessageAuthenticator(bytes, packet.MessageAuthenticatorOffset, packet.Authenticator, "s3cret"u8).ShouldBeTrue();
    }

    [Fact]
    public async Task Radclient_access_request_decodes_and_its_message_authenticator_verifies()
    {
        using var capture = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)capture.Client.LocalEndPoint!).Port;
        var radclient = RadiusPeer.RadclientAsync(port, "auth", "s3cret",
            "User-Name = \"440103456789012\", User-Password = \"pw\", CHAP-Challenge = 0x0102, NAS-Port-Type = Wireless-Other, " +
            "Called-Station-Id = \"iot.example\", Message-Authenticator = 0x00\n", timeoutSeconds: 1);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await capture.ReceiveAsync(limit.Token);
        (await radclient).ExitCode.ShouldNotBe(0); // nobody answered it

        RadiusPacket.TryDecode(received.Buffer, out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.Code.ShouldBe(RadiusCode.AccessRequest);
        packet.GetText(RadiusAttributes.UserName).ShouldBe("440103456789012");
        packet.GetText(RadiusAttributes.CalledStationId).ShouldBe("iot.example");
        packet.GetUInt32(RadiusAttributes.NasPortType).ShouldBe(RadiusAttributes.NasPortType.Values["Wireless-Other"]);
        packet.GetOctets(RadiusAttributes.ChapChallenge).ShouldBe(new byte[] { 1, 2 });
        packet.TryGet(RadiusAttributes.UserPassword, out var hidden).ShouldBeTrue();
        RadiusAuthenticators.UnhidePassword(packet.Value(hidden), packet.Authenticator, "s3cret"u8).ShouldBe("pw"u8.ToArray());
        RadiusAuthenticators.VerifyMessageAuthenticator(received.Buffer, packet.MessageAuthenticatorOffset, packet.Authenticator, "s3cret"u8).ShouldBeTrue();
        RadiusAuthenticators.VerifyMessageAuthenticator(received.Buffer, packet.MessageAuthenticatorOffset, packet.Authenticator, "s3creT"u8).ShouldBeFalse();
    }

    public static TheoryData<string, string, RadiusDecodeError> Malformed => new()
    {
        { "shorter than a header", "0101000a00", RadiusDecodeError.BadDatagramSize },
        { "length field above the datagram", "01010020" + new string('0', 32), RadiusDecodeError.BadLengthField },
        { "length field below 20", "01010013" + new string('0', 32), RadiusDecodeError.BadLengthField },
        { "length field above 4096", "01011001" + new string('0', 32), RadiusDecodeError.BadLengthField },
        { "attribute length 1", "01010016" + new string('0', 32) + "0101", RadiusDecodeError.BadAttributeLength },
        { "attribute length 0", "01010016" + new string('0', 32) + "0100", RadiusDecodeError.BadAttributeLength },
        { "attribute past the packet", "01010017" + new string('0', 32) + "010561", RadiusDecodeError.BadAttributeLength },
        { "a lone trailing byte", "01010015" + new string('0', 32) + "01", RadiusDecodeError.BadAttributeLength },
        { "integer of 3 bytes", "01010019" + new string('0', 32) + "0505000001", RadiusDecodeError.BadAttributeValue },
        { "ipaddr of 5 bytes", "0101001b" + new string('0', 32) + "0407c0a8010100", RadiusDecodeError.BadAttributeValue },
        { "message-authenticator of 4 bytes", "0101001a" + new string('0', 32) + "500600000000", RadiusDecodeError.BadAttributeValue },
        { "two message-authenticators", "01010038" + new string('0', 32) + "5012" + new string('0', 32) + "5012" + new string('0', 32), RadiusDecodeError.DuplicateMessageAuthenticator },
        { "vendor-specific of 6 bytes", "0101001a" + new string('0', 32) + "1a06000028af", RadiusDecodeError.BadVendorSpecific },
        { "vendor 0", "0101001d" + new string('0', 32) + "1a09000000000103ff", RadiusDecodeError.BadVendorSpecific },
        { "3gpp sub-attribute past its vsa", "0101001d" + new string('0', 32) + "1a09000028af010541", RadiusDecodeError.BadVendorSpecific },
        { "3gpp sub-attribute of length 1", "0101001c" + new string('0', 32) + "1a08000028af0101", RadiusDecodeError.BadVendorSpecific },
        { "3gpp-rat-type of 2 bytes", "0101001e" + new string('0', 32) + "1a0a000028af15040606", RadiusDecodeError.BadAttributeValue },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_give_a_typed_error(string because, string hex, RadiusDecodeError expected)
    {
        RadiusPacket.TryDecode(Convert.FromHexString(hex), out var packet).ShouldBe(expected, because);
        packet.ShouldBeNull();
    }

    [Fact]
    public void Oversized_datagram_is_rejected_and_bytes_after_length_are_padding()
    {
        RadiusPacket.TryDecode(new byte[RadiusPacket.MaxSize + 1], out _).ShouldBe(RadiusDecodeError.BadDatagramSize);

        var padded = Convert.FromHexString("01070019" + new string('0', 32) + "0105616263" + "ffffffff");
        RadiusPacket.TryDecode(padded, out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.Length.ShouldBe(0x19);
        packet.GetText(RadiusAttributes.UserName).ShouldBe("abc");
    }

    [Fact]
    public void Unknown_vendor_payload_that_does_not_frame_is_kept_opaque()
    {
        // Vendor 9 (Cisco) with a payload that is not type/length/value: kept whole, not an error.
        var bytes = Convert.FromHexString("0101001d" + new string('0', 32) + "1a0900000009ff0000");
        RadiusPacket.TryDecode(bytes, out var packet).ShouldBe(RadiusDecodeError.None);
        var vsa = packet!.Attributes.ShouldHaveSingleItem();
        vsa.VendorId.ShouldBe(9u);
        vsa.VendorType.ShouldBe((byte)0);
        packet.Value(vsa).ToArray().ShouldBe(new byte[] { 0xff, 0, 0 });
    }

    [Fact]
    public void Writer_wraps_vendor_attributes_and_round_trips()
    {
        var buffer = new byte[RadiusPacket.MaxSize];
        var writer = new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 42);
        writer.Add(RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxDown, 1_000_000));
        writer.Add(RadiusAttributeValue.FromNumber(RadiusAttributes.ThreeGppRatType, 6));
        writer.Add(RadiusAttributeValue.Text(RadiusAttributes.ReplyMessage, "ok"));
        int length = writer.Finish();

        Convert.ToHexString(buffer, 20, length - 20).ShouldBe("1A0C0000372A0806000F4240" + "1A09000028AF150306" + "12046F6B");
        RadiusPacket.TryDecode(buffer.AsMemory(0, length), out var packet).ShouldBe(RadiusDecodeError.None);
        packet!.GetUInt32(RadiusAttributes.WisprBandwidthMaxDown).ShouldBe(1_000_000u);
        packet.GetUInt32(RadiusAttributes.ThreeGppRatType).ShouldBe(6u);
        packet.GetText(RadiusAttributes.ReplyMessage).ShouldBe("ok");
    }

    [Fact]
    public void Writer_refuses_values_that_cannot_be_encoded()
    {
        var buffer = new byte[RadiusPacket.MaxSize];
        Should.Throw<ArgumentException>(() => new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 1).Add(RadiusAttributes.ReplyMessage, new byte[254]));
        Should.Throw<ArgumentException>(() => new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 1).Add(RadiusAttributes.NasPort, new byte[3]));
        Should.Throw<ArgumentException>(() => RadiusAttributeValue.Named(RadiusAttributes.ErrorCause, "No-Such-Cause"));
        Should.Throw<ArgumentException>(() => new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 1).Add(RadiusAttributes.MessageAuthenticator, new byte[16]));
        Should.Throw<ArgumentException>(() => new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 1).Add(RadiusAttributes.VendorSpecific, new byte[8]));
        Should.Throw<InvalidOperationException>(() =>
        {
            var writer = new RadiusPacketWriter(buffer, RadiusCode.AccessAccept, 1);
            for (int i = 0; i < 20; i++)
            {
                writer.Add(RadiusAttributes.Class, new byte[253]);
            }
        });
    }

    [Fact]
#pragma warning disable CA5351 // CHAP is defined with MD5 (RFC 1994).
    public void Chap_password_verifies_against_the_challenge()
    {
        byte ident = 7;
        var challenge = "0123456789abcdef"u8.ToArray();
        var response = System.Security.Cryptography.MD5.HashData([ident, .. "secret-pw"u8.ToArray(), .. challenge]);
        byte[] chapPassword = [ident, .. response];
        RadiusAuthenticators.VerifyChapPassword(chapPassword, "secret-pw"u8, challenge).ShouldBeTrue();
        RadiusAuthenticators.VerifyChapPassword(chapPassword, "other"u8, challenge).ShouldBeFalse();
        RadiusAuthenticators.VerifyChapPassword(chapPassword.AsSpan(0, 16), "secret-pw"u8, challenge).ShouldBeFalse();
    }
#pragma warning restore CA5351

    [Fact]
    public void Dictionary_numbers_match_freeradius_dictionaries()
    {
        // FreeRADIUS's dictionaries are installed with freeradius-utils; compare every entry's number and vendor.
        var numbers = new Dictionary<string, (uint Vendor, int Type)>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { "rfc2865", "rfc2866", "rfc2869", "rfc3576", "3gpp", "wispr" })
        {
            uint vendor = 0;
            foreach (var line in File.ReadLines($"/usr/share/freeradius/dictionary.{file}"))
            {
                var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 3 && f[0] == "VENDOR")
                {
                    vendor = uint.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture);
                }
                if (f.Length >= 4 && f[0] == "ATTRIBUTE")
                {
                    numbers.TryAdd(f[1], (vendor, int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
        foreach (var definition in RadiusAttributes.All)
        {
            numbers.ShouldContainKey(definition.Name);
            numbers[definition.Name].ShouldBe((definition.VendorId, (int)definition.Type), definition.Name);
        }
    }
}
