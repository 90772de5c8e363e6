using System.Net;

namespace Simlane.Diameter.Tests;

/// <summary>DiameterPeerEntry.Parse (the HOST[=ADDRESS] flag form) and DiameterNodeOptions.Validate.</summary>
public sealed class PeerEntryTests
{
    [Theory]
    [InlineData("pgw.example.org", "pgw.example.org", null)]
    [InlineData("pgw.example.org=10.0.0.7", "pgw.example.org", "10.0.0.7")]
    [InlineData(" smf.5gc.mnc001.mcc001.3gppnetwork.org = 2001:db8::7 ", "smf.5gc.mnc001.mcc001.3gppnetwork.org", "2001:db8::7")]
    [InlineData("pgw=::ffff:10.0.0.9", "pgw", "10.0.0.9")]
    public void Good_entries_parse(string text, string host, string? address)
    {
        var entry = DiameterPeerEntry.Parse(text);
        entry.OriginHost.ShouldBe(host);
        entry.Address.ShouldBe(address is null ? null : IPAddress.Parse(address));
    }

    [Theory]
    [InlineData("", "the host is empty")]
    [InlineData("=10.0.0.1", "the host is empty")]
    [InlineData("pgw host", "printable ASCII without spaces")]
    [InlineData("pgw.例え.jp", "printable ASCII without spaces")]
    [InlineData("pgw=not-an-ip", "'not-an-ip' is not an IPv4 or IPv6 address")]
    [InlineData("pgw=10.0.0.0/8", "is not an IPv4 or IPv6 address")]
    [InlineData("pgw=", "'' is not an IPv4 or IPv6 address")]
    public void Bad_entries_fail_naming_the_entry(string text, string problem)
    {
        var e = Should.Throw<FormatException>(() => DiameterPeerEntry.Parse(text));
        e.Message.ShouldContain($"'{text}'");
        e.Message.ShouldContain(problem);
    }

    [Fact]
    public void A_host_longer_than_255_is_refused()
    {
        DiameterPeerEntry.Parse(new string('a', 255)).OriginHost.Length.ShouldBe(255);
        Should.Throw<FormatException>(() => DiameterPeerEntry.Parse(new string('a', 256))).Message.ShouldContain("more than 255");
    }

    [Fact]
    public void An_address_admits_only_that_source_and_mapped_sources_are_unmapped()
    {
        var entry = DiameterPeerEntry.Parse("pgw=10.0.0.7");
        entry.Admits(IPAddress.Parse("10.0.0.7")).ShouldBeTrue();
        entry.Admits(IPAddress.Parse("::ffff:10.0.0.7")).ShouldBeTrue();
        entry.Admits(IPAddress.Parse("10.0.0.8")).ShouldBeFalse();
        DiameterPeerEntry.Parse("pgw").Admits(IPAddress.Parse("192.0.2.1")).ShouldBeTrue();
        entry.ToString().ShouldBe("pgw=10.0.0.7");
    }

    [Fact]
    public void Options_validation_names_the_bad_setting()
    {
        static DiameterNodeOptions Valid() => new() { OriginHost = "ocs.test", OriginRealm = "test", AllowedPeers = [DiameterPeerEntry.Parse("pgw")] };
        Valid().Validate();
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.OriginHost = ""; o.Validate(); }).Message.ShouldContain("Origin-Host is empty");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.OriginRealm = "a b"; o.Validate(); }).Message.ShouldContain("Origin-Realm");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.Port = 70000; o.Validate(); }).Message.ShouldContain("70000");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.AuthApplicationIds = []; o.Validate(); }).Message.ShouldContain("Auth-Application-Id");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.WatchdogInterval = TimeSpan.Zero; o.Validate(); }).Message.ShouldContain("watchdog");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.MaxMessageLength = 10; o.Validate(); }).Message.ShouldContain("maximum message length");
        Should.Throw<ArgumentException>(() => { var o = Valid(); o.MaxRequestsInFlightPerPeer = 0; o.Validate(); }).Message.ShouldContain("in flight");
    }
}
