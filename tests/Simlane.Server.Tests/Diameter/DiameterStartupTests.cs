using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Diameter;
using Simlane.Server.Tests.Infrastructure;
using Simlane.TestSupport.Diameter;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Diameter;

/// <summary>
/// When the Diameter node listens, and how a configuration it cannot serve stops the server at start. The database plays
/// no part in these, so they run on SQLite only.
/// </summary>
public sealed partial class DiameterStartupTests() : FreshDatabaseTest(DatabaseKind.Sqlite)
{
    [Fact]
    public async Task NoPeerConfigured_NoPortIsOpened()
    {
        await using var factory = new SimlaneFactory(Database.ConnectionString, clock: null);
        _ = factory.Server;

        factory.Services.GetRequiredService<DiameterService>().LocalEndPoint.ShouldBeNull();
    }

    [Fact]
    public async Task PortInUse_StopsTheServerAtStartNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var failure = await StartFailureAsync(new() { ["Simlane:Diameter:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        failure.ShouldContain($"Diameter cannot listen on 127.0.0.1 port {port}");
        failure.ShouldContain("AddressAlreadyInUse");
    }

    [Fact]
    public async Task BindToAnAddressNotOnThisMachine_StopsTheServerAtStart()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
        var failure = await StartFailureAsync(new() { ["Simlane:Diameter:Bind"] = "192.0.2.1" });

        failure.ShouldContain("Diameter cannot listen on 192.0.2.1");
        failure.ShouldContain("AddressNotAvailable");
    }

    [Theory]
    [InlineData("Simlane:Diameter:Bind", "not-an-address", "'not-an-address' is not an IP address")]
    [InlineData("Simlane:Diameter:Port", "70000", "Simlane:Diameter:Port (--diameter-port) must be between 0 and 65535")]
    [InlineData("Simlane:Diameter:OriginHost", "has space", "Simlane:Diameter:OriginHost (--diameter-origin-host): 'has space' is not a DiameterIdentity")]
    [InlineData("Simlane:Diameter:OriginRealm", "", "Simlane:Diameter:OriginRealm (--diameter-origin-realm): '' is not a DiameterIdentity")]
    [InlineData("Simlane:Diameter:QuotaOctets", "100", "Simlane:Diameter:QuotaOctets must be between 1024 and 4294967295")]
    [InlineData("Simlane:Diameter:ValidityTimeSeconds", "5", "Simlane:Diameter:ValidityTimeSeconds must be between 10 and 86400")]
    [InlineData("Simlane:Diameter:WatchdogSeconds", "1", "Simlane:Diameter:WatchdogSeconds must be between 6 and 3600")]
    [InlineData("Simlane:Diameter:ReAuthTimeoutMilliseconds", "10", "Simlane:Diameter:ReAuthTimeoutMilliseconds must be between 100 and 60000")]
    [InlineData("Simlane:Diameter:Peers:1", "pgw.test.example", "peer 'pgw.test.example' is listed twice")]
    [InlineData("Simlane:Diameter:Peers:1", "other.example=not-an-ip", "Simlane:Diameter:Peers (--diameter-peer, SIMLANE_DIAMETER_PEERS)")]
    [InlineData("Simlane:Diameter:Peers:1", "bad host=127.0.0.1", "Simlane:Diameter:Peers (--diameter-peer, SIMLANE_DIAMETER_PEERS)")]
    public async Task BadSetting_StopsTheServerAtStartNamingIt(string key, string value, string message)
    {
        var failure = await StartFailureAsync(new() { [key] = value });

        failure.ShouldContain(message);
    }

    [Fact]
    public async Task ServerProcess_WithDiameterFlags_ServesAnIndependentPeer()
    {
        var port = Simlane.TestSupport.LoopbackPorts.FreeTcpPort();
        using var server = await ServerProcess.StartAsync(Database.ConnectionString, arguments:
        [
            "--diameter-peer", "pgw.flags.example=127.0.0.1", "--diameter-peer", "open.flags.example", "--diameter-bind", "127.0.0.1", "--diameter-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--diameter-origin-host", "ocs.flags.example", "--diameter-origin-realm", "flags.example",
        ]);
        ListeningLine().IsMatch(server.Output()).ShouldBeTrue(server.Output());
        server.Output().ShouldContain("Diameter peer open.flags.example is accepted from any address");
        server.Output().ShouldNotContain("Diameter peer pgw.flags.example is accepted from any address");
        var op = await server.Client().SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        await using var pgw = await GyPeer.StartAsync(port, originHost: "pgw.flags.example");

        var answer = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId("pgw.flags.example"), GyRequestType.InitialRequest, 0, sim.PrimaryImsi()));

        pgw.CapabilitiesResultCode.ShouldBe(2001);
        GyPeer.Find(pgw.CapabilitiesAnswer!["avps"]!.AsArray(), "Origin-Host")!.GetValue<string>().ShouldBe("ocs.flags.example");
        GyPeer.ResultCode(answer).ShouldBe(2001, answer.ToJsonString());
        (await op.GetSimAsync(sim.Str("simId"))).Online().ShouldBeTrue();
    }

    [GeneratedRegex(@"Diameter listening on 127\.0\.0\.1:\d+ as ocs\.flags\.example \(flags\.example\) for 2 peer\(s\)")]
    private static partial Regex ListeningLine();


    /// <summary>What a real server process with Diameter on 127.0.0.1 and <paramref name="settings"/> wrote before it refused to start.</summary>
    private async Task<string> StartFailureAsync(Dictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Simlane:Diameter:Peers:0"] = "pgw.test.example=127.0.0.1",
            ["Simlane:Diameter:Bind"] = "127.0.0.1",
            ["Simlane:Diameter:Port"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return await ServerProcess.StartFailureAsync(Database.ConnectionString, ServerProcess.AsEnvironment(all));
    }
}
