using System.Text;
using System.Text.Json.Nodes;
using Simlane.Radius.Codec;
using Simlane.Radius.DynamicAuthorization;
using Simlane.Radius.Tests.Infrastructure;

namespace Simlane.Radius.Tests;

/// <summary>The RFC 5176 client against a NAS stand-in written with pyrad.</summary>
public sealed class DynamicAuthorizationTests
{
    private const string Secret = "nas-secret";
    private static readonly ReadOnlyMemory<byte> SecretBytes = Encoding.UTF8.GetBytes(Secret);
    // Long enough that a loaded machine still answers the first transmission; the silent-NAS tests do not wait for it twice.
    private static readonly DynamicAuthorizationRetry Patient = new() { InitialTimeout = TimeSpan.FromSeconds(2), MaxTransmissions = 3 };
    private static readonly DynamicAuthorizationRetry Fast = new() { InitialTimeout = TimeSpan.FromMilliseconds(300), MaxTransmissions = 3 };

    private static readonly RadiusAttributeValue[] Session =
    [
        RadiusAttributeValue.Text(RadiusAttributes.UserName, "440103456789012"),
        RadiusAttributeValue.Text(RadiusAttributes.AcctSessionId, "sess-9"),
        RadiusAttributeValue.Octets(RadiusAttributes.FramedIpAddress, new byte[] { 10, 0, 0, 9 }),
    ];

    [Fact]
    public async Task Disconnect_request_is_acked_and_the_nas_verified_both_authenticators()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack" });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Disconnect, nas.EndPoint, SecretBytes, Session, Patient);

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Ack);
        result.Transmissions.ShouldBe(1);
        result.ErrorCause.ShouldBeNull();
        var seen = await nas.NextAsync();
        seen["code"]!.GetValue<int>().ShouldBe(40);
        seen["authentic"]!.GetValue<bool>().ShouldBeTrue();
        seen["message_authenticator"]!.GetValue<bool>().ShouldBeTrue();
        Attr(seen, "Acct-Session-Id").ShouldBe("sess-9");
        Attr(seen, "User-Name").ShouldBe("440103456789012");
        Attr(seen, "Framed-IP-Address").ShouldBe("10.0.0.9");
    }

    [Fact]
    public async Task Coa_request_carries_the_new_rates_and_a_nak_reports_its_error_cause()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "nak", error_cause = 503 });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Coa, nas.EndPoint, SecretBytes,
        [
            .. Session,
            RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxUp, 32_000),
            RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxDown, 64_000),
        ], Patient);

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Nak);
        result.ErrorCause.ShouldBe(503u);
        result.ErrorCauseName.ShouldBe("Session-Context-Not-Found");
        var seen = await nas.NextAsync();
        seen["code"]!.GetValue<int>().ShouldBe(43);
        seen["authentic"]!.GetValue<bool>().ShouldBeTrue();
        ((JsonNode)seen["attrs"]!["WISPr-Bandwidth-Max-Up"]![0]!).GetValue<long>().ShouldBe(32_000);
        ((JsonNode)seen["attrs"]!["WISPr-Bandwidth-Max-Down"]![0]!).GetValue<long>().ShouldBe(64_000);
    }

    [Fact]
    public async Task A_lost_request_is_retransmitted_identically_and_then_acked()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack", drop_first = 1 });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Disconnect, nas.EndPoint, SecretBytes, Session, Patient);

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Ack);
        result.Transmissions.ShouldBe(2);
        var first = await nas.NextAsync();
        var second = await nas.NextAsync();
        first["answered"]!.GetValue<bool>().ShouldBeFalse();
        second["answered"]!.GetValue<bool>().ShouldBeTrue();
        second["hex"]!.GetValue<string>().ShouldBe(first["hex"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_silent_nas_gives_a_timeout_after_every_transmission()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack", drop_first = 1000 });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Coa, nas.EndPoint, SecretBytes, Session, Fast);

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Timeout);
        result.Transmissions.ShouldBe(3);
        var copies = new[] { await nas.NextAsync(), await nas.NextAsync(), await nas.NextAsync() };
        copies.Select(c => c["hex"]!.GetValue<string>()).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_reply_signed_with_another_secret_is_ignored()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack", reply_secret = "forged" });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Disconnect, nas.EndPoint, SecretBytes, Session,
            new DynamicAuthorizationRetry { InitialTimeout = TimeSpan.FromMilliseconds(300), MaxTransmissions = 2 });

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Timeout);
        (await nas.NextAsync())["answered"]!.GetValue<bool>().ShouldBeTrue(); // it did answer, with a reply we must not trust
        (await nas.NextAsync())["answered"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_request_with_the_wrong_secret_is_refused_by_the_nas()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack" });
        var client = new DynamicAuthorizationClient(TestClock.Real);

        var result = await client.SendAsync(DynamicAuthorizationKind.Disconnect, nas.EndPoint, "other"u8.ToArray(), Session,
            new DynamicAuthorizationRetry { InitialTimeout = TimeSpan.FromMilliseconds(300), MaxTransmissions = 1 });

        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Timeout);
        var seen = await nas.NextAsync();
        seen["authentic"]!.GetValue<bool>().ShouldBeFalse();
        seen["answered"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Consecutive_requests_use_different_identifiers()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack" });
        var client = new DynamicAuthorizationClient(TestClock.Real);
        for (int i = 0; i < 3; i++)
        {
            (await client.SendAsync(DynamicAuthorizationKind.Disconnect, nas.EndPoint, SecretBytes, Session, Patient)).Outcome.ShouldBe(DynamicAuthorizationOutcome.Ack);
        }
        var ids = new[] { await nas.NextAsync(), await nas.NextAsync(), await nas.NextAsync() }.Select(s => s["id"]!.GetValue<int>()).ToArray();
        ids.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task A_configured_client_supplies_the_coa_port_and_secret()
    {
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack" });
        var client = Simlane.Radius.Clients.RadiusClientTable.ParseEntry($"127.0.0.0/8={Secret},coa-port={nas.EndPoint.Port}");
        var result = await new DynamicAuthorizationClient(TestClock.Real).SendAsync(DynamicAuthorizationKind.Disconnect, client,
            System.Net.IPAddress.Parse("127.0.0.1"), Session, Patient);
        result.Outcome.ShouldBe(DynamicAuthorizationOutcome.Ack);
        (await nas.NextAsync())["authentic"]!.GetValue<bool>().ShouldBeTrue();

        await Should.ThrowAsync<ArgumentException>(() => new DynamicAuthorizationClient(TestClock.Real).SendAsync(
            DynamicAuthorizationKind.Disconnect, client, System.Net.IPAddress.Parse("10.0.0.1"), Session));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_sent()
    {
        var client = new DynamicAuthorizationClient(TestClock.Real);
        var nas = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 3799);
        await Should.ThrowAsync<ArgumentException>(() => client.SendAsync(DynamicAuthorizationKind.Disconnect, nas, ReadOnlyMemory<byte>.Empty, Session));
        await Should.ThrowAsync<ArgumentException>(() => client.SendAsync(DynamicAuthorizationKind.Disconnect, nas, SecretBytes,
            [RadiusAttributeValue.Octets(RadiusAttributes.NasPort, new byte[3])]));
        await Should.ThrowAsync<ArgumentException>(() => client.SendAsync(DynamicAuthorizationKind.Coa, nas, SecretBytes, Session,
            new DynamicAuthorizationRetry { MaxTransmissions = 0 }));
    }

    private static string? Attr(JsonObject seen, string name) => seen["attrs"]![name]?[0]?.ToString();
}
