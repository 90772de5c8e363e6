namespace Simlane.Diameter.Tests;

/// <summary>DiameterMessage.CreateAnswer / CreateErrorAnswer (RFC 6733 6.2, 7.2).</summary>
public sealed class AnswerTests
{
    private static DiameterMessage Request(bool withSession = true)
    {
        var request = new DiameterMessage
        {
            CommandCode = DiameterCommands.CreditControl,
            ApplicationId = DiameterApplications.CreditControl,
            HopByHopId = 0xAABBCCDD,
            EndToEndId = 0x11223344,
            IsRequest = true,
            IsProxiable = true,
            IsRetransmission = true,
        };
        request.Avps.Add(Avp.OfGrouped(AvpCodes.ProxyInfo, [Avp.OfString(AvpCodes.ProxyHost, "dra1.test"), Avp.OfOctets(AvpCodes.ProxyState, new byte[] { 1 })]));
        if (withSession)
        {
            request.Avps.Add(Avp.OfString(AvpCodes.SessionId, "pgw.test;1;2"));
        }
        request.Avps.Add(Avp.OfString(AvpCodes.OriginHost, "pgw.test"));
        request.Avps.Add(Avp.OfGrouped(AvpCodes.ProxyInfo, [Avp.OfString(AvpCodes.ProxyHost, "dra2.test"), Avp.OfOctets(AvpCodes.ProxyState, new byte[] { 2 })]));
        return request;
    }

    [Fact]
    public void The_answer_copies_command_application_ids_and_p_flag_and_clears_r()
    {
        var answer = DiameterMessage.CreateAnswer(Request(), DiameterResultCodes.Success, "ocs.test", "test");
        (answer.CommandCode, answer.ApplicationId, answer.HopByHopId, answer.EndToEndId).ShouldBe((272u, 4u, 0xAABBCCDDu, 0x11223344u));
        (answer.IsRequest, answer.IsProxiable, answer.IsError, answer.IsRetransmission).ShouldBe((false, true, false, false));
    }

    [Fact]
    public void Session_id_comes_first_then_result_origin_and_the_proxy_infos_in_order_at_the_end()
    {
        var answer = DiameterMessage.CreateAnswer(Request(), DiameterResultCodes.Success, "ocs.test", "test");
        answer.Avps.Select(a => a.Definition!.Name).ShouldBe(["Session-Id", "Result-Code", "Origin-Host", "Origin-Realm", "Proxy-Info", "Proxy-Info"]);
        answer.SessionId.ShouldBe("pgw.test;1;2");
        answer.ResultCode.ShouldBe(2001u);
        (answer.OriginHost, answer.OriginRealm).ShouldBe(("ocs.test", "test"));
        answer.FindAll(AvpCodes.ProxyInfo).Select(p => p.Find(AvpCodes.ProxyHost)!.GetString()).ShouldBe(["dra1.test", "dra2.test"]);

        var decoded = DiameterMessage.Decode(answer.Encode());
        decoded.IsSuccess.ShouldBeTrue(decoded.ToString());
    }

    [Fact]
    public void No_session_id_when_the_request_has_none()
    {
        var answer = DiameterMessage.CreateAnswer(Request(withSession: false), DiameterResultCodes.Success, "ocs.test", "test");
        answer.Avps[0].Code.ShouldBe(AvpCodes.ResultCode);
        answer.SessionId.ShouldBeNull();
    }

    [Theory]
    [InlineData(2001u, false)]
    [InlineData(3001u, true)]
    [InlineData(3007u, true)]
    [InlineData(3010u, true)]
    [InlineData(4012u, false)]
    [InlineData(5001u, false)]
    [InlineData(5012u, false)]
    public void The_e_bit_is_set_for_protocol_errors_only(uint resultCode, bool error) =>
        DiameterMessage.CreateAnswer(Request(), resultCode, "ocs.test", "test").IsError.ShouldBe(error);

    [Fact]
    public void An_error_answer_carries_error_message_and_one_failed_avp_before_the_proxy_infos()
    {
        var offending = new[] { Avp.OfUInt32(99_999, 1), Avp.OfUInt32(5555, 2, AvpCodes.Vendor3gpp) };
        var answer = DiameterMessage.CreateErrorAnswer(Request(), DiameterResultCodes.AvpUnsupported, "ocs.test", "test", offending, "not supported");
        answer.Avps.Select(a => a.Definition!.Name).ShouldBe(["Session-Id", "Result-Code", "Origin-Host", "Origin-Realm", "Error-Message",
            "Failed-AVP", "Proxy-Info", "Proxy-Info"]);
        answer.Find(AvpCodes.ErrorMessage)!.Mandatory.ShouldBeFalse();
        var failed = DiameterMessage.Decode(answer.Encode()).Message!.Find(AvpCodes.FailedAvp)!;
        failed.Children.Select(c => (c.Code, c.VendorId, c.GetUInt32())).ShouldBe([(99_999u, 0u, 1u), (5555u, 10415u, 2u)]);
    }
}
