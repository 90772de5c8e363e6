using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Simlane.TestSupport;

/// <summary>
/// The Simlane server in-process over <paramref name="connectionString"/>, with <see cref="TestSettings.Common"/> and then
/// <paramref name="settings"/>. <paramref name="clock"/>: the server's clock (a FakeTimeProvider), or null for the real one.
/// In-memory by default; <see cref="StartOnLoopback"/> serves it on Kestrel for clients that speak real HTTP.
/// </summary>
public sealed class SimlaneFactory(string connectionString, TimeProvider? clock, bool sandbox = true, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The packet gateway's shared key in tests (header X-Simlane-Gateway-Key).</summary>
    public const string GatewayKey = "gw-test-key-0123456789";

    /// <summary>Starts the server on Kestrel at 127.0.0.1 with a port the server binds itself; answers its http:// address.</summary>
    public string StartOnLoopback()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Simlane:Database", connectionString);
        builder.UseSetting("Simlane:Sandbox", sandbox ? "true" : "false");
        builder.UseSetting("Simlane:GatewayKey", GatewayKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        foreach (var (key, value) in TestSettings.Common.Concat(settings ?? new Dictionary<string, string>()))
        {
            builder.UseSetting(key, value);
        }

        if (clock is not null)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<Simlane.Server.Scheduling.ClockSource>();
                services.AddSingleton(new Simlane.Server.Scheduling.ClockSource(clock));
            });
        }
    }
}
