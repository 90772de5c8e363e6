using Simlane.Server.Actions;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Tests.Actions;

/// <summary>The mail and web request settings: flags, environment variables, defaults, validation.</summary>
public sealed class ActionOptionsTests
{
    [Fact]
    public void Flags_MapOntoTheSmtpAndActionsSections()
    {
        var (settings, rest) = CommandLine.Parse([
            "--smtp-host", "mail.example.com", "--smtp-port=2525", "--smtp-tls", "tls", "--smtp-username", "mailer",
            "--smtp-password", "pw", "--smtp-from", "alerts@example.com", "--allow-private-addresses", "--web-request-timeout", "3", "--urls", "http://x"]);

        settings["Simlane:Smtp:Host"].ShouldBe("mail.example.com");
        settings["Simlane:Smtp:Port"].ShouldBe("2525");
        settings["Simlane:Smtp:TlsMode"].ShouldBe("tls");
        settings["Simlane:Smtp:Username"].ShouldBe("mailer");
        settings["Simlane:Smtp:Password"].ShouldBe("pw");
        settings["Simlane:Smtp:From"].ShouldBe("alerts@example.com");
        settings["Simlane:Actions:AllowPrivateAddresses"].ShouldBe("true");
        settings["Simlane:Actions:WebRequestTimeoutSeconds"].ShouldBe("3");
        rest.ShouldBe(["--urls", "http://x"]);
    }

    [Fact]
    public void AllowPrivateAddresses_CanBeTurnedOffExplicitly() =>
        CommandLine.Parse(["--allow-private-addresses=false"]).Settings["Simlane:Actions:AllowPrivateAddresses"].ShouldBe("false");

    [Fact]
    public void Smtp_Defaults_StartTlsOnPort587()
    {
        var smtp = new SmtpOptions();

        smtp.IsConfigured.ShouldBeFalse();
        smtp.TlsMode.ShouldBe("starttls");
        smtp.ResolvePort().ShouldBe(587);
        new SmtpOptions { TlsMode = "tls" }.ResolvePort().ShouldBe(465);
        new SmtpOptions { TlsMode = "none" }.ResolvePort().ShouldBe(25);
        new SmtpOptions { TlsMode = "none", Port = 2525 }.ResolvePort().ShouldBe(2525);
        smtp.Validate();
    }

    public static TheoryData<SmtpOptions, string> BadSmtp() => new()
    {
        { new SmtpOptions { TlsMode = "ssl" }, "TlsMode" },
        { new SmtpOptions { Port = 0 }, "Port" },
        { new SmtpOptions { Port = 70000 }, "Port" },
        { new SmtpOptions { Password = "pw" }, "without Simlane:Smtp:Username" },
        { new SmtpOptions { From = "not an address" }, "From" },
        { new SmtpOptions { TimeoutSeconds = 0 }, "TimeoutSeconds" },
    };

    [Theory]
    [MemberData(nameof(BadSmtp))]
    public void Smtp_BadSettings_StopTheServerWithAClearMessage(SmtpOptions smtp, string message) =>
        Should.Throw<InvalidOperationException>(smtp.Validate).Message.ShouldContain(message);

    [Fact]
    public void Smtp_BadPassword_IsNotPartOfAnyValidationMessage()
    {
        var smtp = new SmtpOptions { Password = "hunter2-secret" };

        Should.Throw<InvalidOperationException>(smtp.Validate).Message.ShouldNotContain("hunter2-secret");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(301)]
    public void Actions_BadTimeout_StopsTheServer(double seconds) =>
        Should.Throw<InvalidOperationException>(new ActionOptions { WebRequestTimeoutSeconds = seconds }.Validate).Message.ShouldContain("WebRequestTimeoutSeconds");
}
