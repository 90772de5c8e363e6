using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// Server settings, bound from the <c>Simlane</c> configuration section. Command-line flags
/// (<c>--data</c>, <c>--database</c>, <c>--sandbox</c>, <c>--coverage</c>) and environment variables
/// (<c>SIMLANE_DATA</c>, <c>SIMLANE_DATABASE</c>, <c>SIMLANE_SANDBOX</c>, <c>SIMLANE_COVERAGE</c>) map onto it.
/// </summary>
public sealed class SimlaneOptions
{
    public const string Section = "Simlane";

    /// <summary>Directory for the embedded SQLite database and other local state.</summary>
    public string Data { get; set; } = "data";

    /// <summary>A SQLite file/connection string or a PostgreSQL connection string; empty = SQLite in <see cref="Data"/>.</summary>
    public string? Database { get; set; }

    /// <summary>Turns on the /v1/sandbox routes (operator sign-up without a real account, test data).</summary>
    public bool Sandbox { get; set; }

    /// <summary>
    /// The shared secret the packet gateway presents in <c>X-Simlane-Gateway-Key</c>. Unset: only sandbox
    /// mode's operator credentials can reach /v1/gateway. Never logged.
    /// </summary>
    public string? GatewayKey { get; set; }

    /// <summary>
    /// Where the Data Protection keys that encrypt stored secrets (AWS credentials, webhook signing secrets)
    /// are kept; empty = <c>{Data}/keys</c>. Servers sharing a database must share it.
    /// </summary>
    public string? KeysDirectory { get; set; }

    public string ResolveKeysDirectory() => string.IsNullOrWhiteSpace(KeysDirectory) ? Path.Combine(Data, "keys") : KeysDirectory;

    /// <summary>The coverage this deployment serves: <c>jp</c> (JPY) or <c>g</c> (USD).</summary>
    public string Coverage { get; set; } = "jp";

    public DatabaseOptions ResolveDatabase() =>
        string.IsNullOrWhiteSpace(Database) ? DatabaseOptions.ForDataDirectory(Data) : DatabaseOptions.Parse(Database);

    public void Validate()
    {
        if (Coverage is not ("jp" or "g"))
        {
            throw new InvalidOperationException($"--coverage must be 'jp' or 'g', not '{Coverage}'");
        }
    }
}
