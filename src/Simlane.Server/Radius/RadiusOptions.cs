using System.Globalization;
using System.Net;
using Simlane.Radius.Clients;

namespace Simlane.Server.Radius;

/// <summary>
/// The <c>Simlane:Radius</c> section (docs/radius.md): the RADIUS server inside simlane-server, off unless at least one
/// client is configured. Flags: <c>--radius-client</c> (repeatable), <c>--radius-auth-port</c>, <c>--radius-acct-port</c>,
/// <c>--radius-bind</c>; environment: <c>SIMLANE_RADIUS_CLIENTS</c> (a <c>;</c>-separated list) and the port/bind twins.
/// </summary>
public sealed class RadiusOptions
{
    public const string Section = "Simlane:Radius";

    /// <summary>
    /// Client entries, <c>ADDRESS[/PREFIX]=SECRET[,coa-port=PORT][,require-message-authenticator=false]</c>; an entry may
    /// itself hold several separated by <c>;</c> (the environment variable's form). Empty: no RADIUS port is opened.
    /// </summary>
    public List<string> Clients { get; set; } = [];

    public int AuthPort { get; set; } = 1812;

    public int AcctPort { get; set; } = 1813;

    /// <summary>The address both sockets bind to (<c>0.0.0.0</c>; <c>::</c> is dual-stack).</summary>
    public string Bind { get; set; } = "0.0.0.0";

    public bool Enabled => Clients.Any(c => !string.IsNullOrWhiteSpace(c));

    /// <summary>The client table the entries describe; throws <see cref="RadiusClientFormatException"/> naming the bad entry (never its secret).</summary>
    public RadiusClientTable ClientTable() => Enabled ? RadiusClientTable.Parse(Clients.Where(c => !string.IsNullOrWhiteSpace(c))) : RadiusClientTable.Empty;

    public IPAddress BindAddress() => IPAddress.Parse(Bind);

    public void Validate()
    {
        if (!IPAddress.TryParse(Bind, out _))
        {
            throw new InvalidOperationException($"Simlane:Radius:Bind (--radius-bind): '{Bind}' is not an IP address");
        }

        foreach (var (name, port) in new[] { ("AuthPort (--radius-auth-port)", AuthPort), ("AcctPort (--radius-acct-port)", AcctPort) })
        {
            // 0 lets the system choose (tests read the bound port back); a server on a real network names one.
            if (port is < 0 or > 65535)
            {
                throw new InvalidOperationException($"Simlane:Radius:{name} must be between 0 and 65535, not {port.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (AuthPort == AcctPort && AuthPort != 0)
        {
            throw new InvalidOperationException($"Simlane:Radius: the auth and accounting ports must differ (both {AuthPort.ToString(CultureInfo.InvariantCulture)})");
        }

        try
        {
            _ = ClientTable();
        }
        catch (RadiusClientFormatException e)
        {
            throw new InvalidOperationException($"Simlane:Radius:Clients (--radius-client, SIMLANE_RADIUS_CLIENTS): {e.Message}", e);
        }
    }
}
