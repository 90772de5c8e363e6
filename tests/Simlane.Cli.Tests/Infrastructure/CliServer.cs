using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Simlane.Cli.Tests.Infrastructure;

/// <summary>
/// A real Simlane server for the CLI: in-process, on Kestrel at 127.0.0.1 with a free port (the CLI talks plain
/// HTTP to it), in sandbox mode over a fresh SQLite database, shared by the tests of one class. Tests isolate
/// themselves by signing up their own operators.
/// </summary>
public sealed class CliServer : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "simlane-cli-tests", Guid.NewGuid().ToString("N"));
    private KestrelFactory? factory;

    public string Endpoint { get; private set; } = "";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        factory = new KestrelFactory($"Data Source={Path.Combine(directory, "simlane.db")}");
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Endpoint = addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private sealed class KestrelFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Simlane:Database", connectionString);
            builder.UseSetting("Simlane:Sandbox", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Simlane:RateLimits:Enabled", "false");
        }
    }
}
