using System.Net;
using Simlane.Radius.Clients;

namespace Simlane.Radius.Tests;

public sealed class ClientTableTests
{
    [Fact]
    public void Entries_parse_with_defaults_and_options()
    {
        var table = RadiusClientTable.Parse(
        [
            "10.0.0.0/8=s3cret",
            "10.1.2.3=other,coa-port=3800,require-message-authenticator=false",
            "2001:db8::/32=v6-secret;192.0.2.1/32=x,coa-port=1700",
        ]);

        table.Clients.Count.ShouldBe(4);
        var wide = table.Find(IPAddress.Parse("10.9.9.9")).ShouldNotBeNull();
        wide.Cidr.ShouldBe("10.0.0.0/8");
        wide.CoaPort.ShouldBe(RadiusClient.DefaultCoaPort);
        wide.RequireMessageAuthenticator.ShouldBeTrue();
        wide.Secret.ToArray().ShouldBe("s3cret"u8.ToArray());

        var host = table.Find(IPAddress.Parse("10.1.2.3")).ShouldNotBeNull(); // the /32 inside the /8 wins
        host.Cidr.ShouldBe("10.1.2.3/32");
        host.CoaPort.ShouldBe(3800);
        host.RequireMessageAuthenticator.ShouldBeFalse();

        table.Find(IPAddress.Parse("2001:db8:1::5")).ShouldNotBeNull().Cidr.ShouldBe("2001:db8::/32");
        table.Find(IPAddress.Parse("192.0.2.1")).ShouldNotBeNull().CoaPort.ShouldBe(1700);
        table.Find(IPAddress.Parse("11.0.0.1")).ShouldBeNull();
        table.Find(IPAddress.Parse("2001:db9::1")).ShouldBeNull();
    }

    [Fact]
    public void An_ipv4_mapped_source_matches_its_ipv4_client()
    {
        var table = RadiusClientTable.Parse(["127.0.0.1=s"]);
        table.Find(IPAddress.Parse("::ffff:127.0.0.1")).ShouldNotBeNull();
        table.Find(IPAddress.Parse("::1")).ShouldBeNull();
    }

    [Fact]
    public void A_prefix_of_zero_covers_every_address_of_its_family()
    {
        var table = RadiusClientTable.Parse(["0.0.0.0/0=s"]);
        table.Find(IPAddress.Parse("203.0.113.9")).ShouldNotBeNull();
        table.Find(IPAddress.Parse("2001:db8::1")).ShouldBeNull();
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "10.0.0.1", "expected ADDRESS[/PREFIX]=SECRET" },
        { "10.0.0.1=", "the shared secret is empty" },
        { "10.0.0.1=,coa-port=1", "the shared secret is empty" },
        { "=topsecret", "the address is empty" },
        { "10.0.0=topsecret", "'10.0.0' is not an IPv4 or IPv6 address" },
        { "nas.example=topsecret", "'nas.example' is not an IPv4 or IPv6 address" },
        { "10.0.0.0/33=topsecret", "prefix length must be a number from 0 to 32, not '33'" },
        { "2001:db8::/129=topsecret", "from 0 to 128, not '129'" },
        { "10.0.0.0/x=topsecret", "not 'x'" },
        { "10.0.0.0/-1=topsecret", "not '-1'" },
        { "10.0.0.1/24=topsecret", "host bits are set below the prefix; the network is 10.0.0.0/24" },
        { "10.0.0.1=topsecret,coa-port=0", "coa-port must be a port number from 1 to 65535, not '0'" },
        { "10.0.0.1=topsecret,coa-port=65536", "not '65536'" },
        { "10.0.0.1=topsecret,coa-port=", "not ''" },
        { "10.0.0.1=topsecret,require-message-authenticator=no", "must be true or false, not 'no'" },
        { "10.0.0.1=topsecret,require-message-authenticator", "must be true or false, not ''" },
        { "10.0.0.1=topsecret,coa_port=3799", "unknown option 'coa_port'" },
        { "10.0.0.1=topsecret,with,comma", "unknown option 'with'" },
        { "10.0.0.1=topsecret,coa-port=1,coa-port=2", "option 'coa-port' is given twice" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Malformed_entries_are_refused_with_a_clear_message_that_never_shows_the_secret(string entry, string expected)
    {
        var error = Should.Throw<RadiusClientFormatException>(() => RadiusClientTable.Parse([entry]));
        error.Message.ShouldContain(expected);
        error.Message.ShouldStartWith("RADIUS client #1");
        error.Message.ShouldNotContain("topsecret");
    }

    [Fact]
    public void The_same_network_twice_is_refused_and_the_error_names_the_entry()
    {
        Should.Throw<RadiusClientFormatException>(() => RadiusClientTable.Parse(["10.0.0.0/8=a", "10.0.0.0/8=b"]))
            .Message.ShouldBe("RADIUS client 10.0.0.0/8 is configured twice.");
        Should.Throw<RadiusClientFormatException>(() => RadiusClientTable.Parse(["10.0.0.1=a;10.0.0.2=b;300.1.1.1=c"]))
            .Message.ShouldStartWith("RADIUS client #3 (300.1.1.1)");
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        var client = RadiusClientTable.ParseEntry("192.0.2.0/24=hunter2-secret,coa-port=3800");
        client.ToString().ShouldBe("RADIUS client 192.0.2.0/24 (coa-port 3800, message-authenticator required)");
        RadiusClientTable.Parse(["192.0.2.0/24=hunter2-secret"]).ToString()!.ShouldNotContain("hunter2");
    }
}
