using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Radius;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Radius;

/// <summary>When the RADIUS server opens ports, and how a configuration it cannot serve stops the server at start.</summary>
public abstract partial class RadiusStartupTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task NoClientConfigured_NoPortIsOpened()
    {
        await using var factory = new SimlaneFactory(Database.ConnectionString, clock: null);
        _ = factory.Server;

        var endpoints = factory.Services.GetRequiredService<RadiusEndpoints>();
        endpoints.Auth.ShouldBeNull();
        endpoints.Acct.ShouldBeNull();
    }

    [Fact]
    public async Task PortInUse_StopsTheServerAtStartNamingThePort()
    {
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.Client.LocalEndPoint!).Port;

        var failure = await StartFailureAsync(new() { ["Simlane:Radius:AuthPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        failure.ShouldContain("RADIUS cannot listen on 127.0.0.1");
        failure.ShouldContain($"auth port {port}");
        failure.ShouldContain("AddressAlreadyInUse");
    }

    [Fact]
    public async Task BindToAnAddressNotOnThisMachine_StopsTheServerAtStart()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
        var failure = await StartFailureAsync(new() { ["Simlane:Radius:Bind"] = "192.0.2.1" });

        failure.ShouldContain("RADIUS cannot listen on 192.0.2.1");
        failure.ShouldContain("AddressNotAvailable");
    }

    [Fact]
    public async Task BadBindOrClientEntry_StopsTheServerAtStartWithoutTheSecret()
    {
        (await StartFailureAsync(new() { ["Simlane:Radius:Bind"] = "not-an-address" })).ShouldContain("'not-an-address' is not an IP address");

        var failure = await StartFailureAsync(new() { ["Simlane:Radius:Clients:0"] = "10.0.0.0/99=very-secret-value" });
        failure.ShouldContain("Simlane:Radius:Clients");
        failure.ShouldNotContain("very-secret-value");
    }

    [Fact]
    public async Task UnknownClient_DroppedAndCounted_NothingChanges()
    {
        await using var factory = new SimlaneFactory(Database.ConnectionString, clock: null, settings: new Dictionary<string, string>
        {
            ["Simlane:Radius:Clients:0"] = $"192.0.2.10={RadiusPeer.Secret}", // not the loopback address the peer sends from
            ["Simlane:Radius:Bind"] = "127.0.0.1",
            ["Simlane:Radius:AuthPort"] = "0",
            ["Simlane:Radius:AcctPort"] = "0",
        });
        var op = await new ApiClient(factory.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var endpoints = factory.Services.GetRequiredService<RadiusEndpoints>();

        var access = await RadiusPeer.SendAsync(endpoints.Auth!.Port, "auth", [("3GPP-IMSI", sim.PrimaryImsi())], timeout: 1);
        var start = await RadiusPeer.SendAsync(endpoints.Acct!.Port, "acct",
            [("Acct-Status-Type", "Start"), ("Acct-Session-Id", "x"), ("3GPP-IMSI", sim.PrimaryImsi())], timeout: 1);

        access.ShouldBe([null]);
        start.ShouldBe([null]);
        factory.Services.GetRequiredService<Simlane.Radius.Server.RadiusMetrics>().Snapshot()
            .Dropped(Simlane.Radius.Server.RadiusDropReason.UnknownClient).ShouldBe(2);
        var after = await op.GetSimAsync(sim.Str("simId"));
        after.Str("status").ShouldBe("ready");
        after.Online().ShouldBeFalse();
    }

    [Fact]
    public async Task ServerProcess_WithRadiusClientFlag_AnswersRadclient()
    {
        using var server = await ServerProcess.StartAsync(Database.ConnectionString, arguments:
            ["--radius-client", $"127.0.0.1={RadiusPeer.Secret}", "--radius-bind", "127.0.0.1", "--radius-auth-port", "0", "--radius-acct-port", "0"]);
        var listening = ListeningLine().Match(server.Output());
        listening.Success.ShouldBeTrue(server.Output());
        server.Output().ShouldNotContain(RadiusPeer.Secret);
        var authPort = int.Parse(listening.Groups["auth"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var op = await server.Client().SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();

        var result = await RadiusPeer.RadclientAsync(authPort, "auth", RadiusPeer.Secret, $"3GPP-IMSI = \"{sim.PrimaryImsi()}\"\nMessage-Authenticator = 0x00\n");

        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
        (await op.GetSimAsync(sim.Str("simId"))).Str("status").ShouldBe("active");
    }

    [GeneratedRegex(@"RADIUS listening on 127\.0\.0\.1:(?<auth>\d+) \(auth\) and 127\.0\.0\.1:(?<acct>\d+) \(accounting\)")]
    private static partial Regex ListeningLine();

    /// <summary>Starts the in-process server with RADIUS on 127.0.0.1 and <paramref name="settings"/>; answers why it did not start.</summary>
    /// <summary>What a real server process with <paramref name="settings"/> wrote before it refused to start.</summary>
    private async Task<string> StartFailureAsync(Dictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Simlane:Radius:Clients:0"] = $"127.0.0.1={RadiusPeer.Secret}",
            ["Simlane:Radius:Bind"] = "127.0.0.1",
            ["Simlane:Radius:AuthPort"] = "0",
            ["Simlane:Radius:AcctPort"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return await ServerProcess.StartFailureAsync(Database.ConnectionString, ServerProcess.AsEnvironment(all));
    }
}

public sealed class RadiusStartupTests_Sqlite() : RadiusStartupTests(DatabaseKind.Sqlite);

public sealed class RadiusStartupTests_Postgres() : RadiusStartupTests(DatabaseKind.Postgres);
