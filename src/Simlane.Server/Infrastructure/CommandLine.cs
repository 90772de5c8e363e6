namespace Simlane.Server.Infrastructure;

/// <summary>
/// Maps Simlane's flags and environment variables onto configuration keys, so that
/// <c>--data</c>, <c>--database</c>, <c>--sandbox</c>, <c>--coverage</c>, the RADIUS and Diameter flags and <c>SIMLANE_*</c> all end up in the
/// <c>Simlane</c> section. Flags win over environment variables; ASP.NET's own flags (<c>--urls</c>) pass through.
/// </summary>
public static class CommandLine
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--data"] = "Simlane:Data",
        ["--database"] = "Simlane:Database",
        ["--coverage"] = "Simlane:Coverage",
        ["--sandbox"] = "Simlane:Sandbox",
        ["--gateway-key"] = "Simlane:GatewayKey",
        ["--keys"] = "Simlane:KeysDirectory",
        ["--smtp-host"] = "Simlane:Smtp:Host",
        ["--smtp-port"] = "Simlane:Smtp:Port",
        ["--smtp-tls"] = "Simlane:Smtp:TlsMode",
        ["--smtp-username"] = "Simlane:Smtp:Username",
        ["--smtp-password"] = "Simlane:Smtp:Password",
        ["--smtp-from"] = "Simlane:Smtp:From",
        ["--allow-private-addresses"] = "Simlane:Actions:AllowPrivateAddresses",
        ["--web-request-timeout"] = "Simlane:Actions:WebRequestTimeoutSeconds",
        ["--rate-limits"] = "Simlane:RateLimits:Enabled",
        ["--password-hash-iterations"] = "Simlane:Auth:PasswordHashIterations",
        ["--radius-client"] = "Simlane:Radius:Clients",
        ["--radius-auth-port"] = "Simlane:Radius:AuthPort",
        ["--radius-acct-port"] = "Simlane:Radius:AcctPort",
        ["--radius-bind"] = "Simlane:Radius:Bind",
        ["--metrics"] = "Simlane:Metrics:Enabled",
        ["--diameter-peer"] = "Simlane:Diameter:Peers",
        ["--diameter-port"] = "Simlane:Diameter:Port",
        ["--diameter-bind"] = "Simlane:Diameter:Bind",
        ["--diameter-origin-host"] = "Simlane:Diameter:OriginHost",
        ["--diameter-origin-realm"] = "Simlane:Diameter:OriginRealm",
    };

    /// <summary>Flags that may be given several times; their values become the list <c>KEY:0</c>, <c>KEY:1</c>, ….</summary>
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "--radius-client", "--diameter-peer" };

    /// <summary>Flags that mean <c>true</c> on their own (<c>--sandbox</c>); <c>--flag=false</c> turns them off.</summary>
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal) { "--sandbox", "--allow-private-addresses", "--rate-limits", "--metrics" };

    private static readonly Dictionary<string, string> EnvironmentVariables = new(StringComparer.Ordinal)
    {
        ["SIMLANE_DATA"] = "Simlane:Data",
        ["SIMLANE_DATABASE"] = "Simlane:Database",
        ["SIMLANE_COVERAGE"] = "Simlane:Coverage",
        ["SIMLANE_SANDBOX"] = "Simlane:Sandbox",
        ["SIMLANE_GATEWAY_KEY"] = "Simlane:GatewayKey",
        ["SIMLANE_KEYS"] = "Simlane:KeysDirectory",
        ["SIMLANE_SMTP_HOST"] = "Simlane:Smtp:Host",
        ["SIMLANE_SMTP_PORT"] = "Simlane:Smtp:Port",
        ["SIMLANE_SMTP_TLS"] = "Simlane:Smtp:TlsMode",
        ["SIMLANE_SMTP_USERNAME"] = "Simlane:Smtp:Username",
        ["SIMLANE_SMTP_PASSWORD"] = "Simlane:Smtp:Password",
        ["SIMLANE_SMTP_FROM"] = "Simlane:Smtp:From",
        ["SIMLANE_ALLOW_PRIVATE_ADDRESSES"] = "Simlane:Actions:AllowPrivateAddresses",
        ["SIMLANE_WEB_REQUEST_TIMEOUT"] = "Simlane:Actions:WebRequestTimeoutSeconds",
        ["SIMLANE_RATE_LIMITS"] = "Simlane:RateLimits:Enabled",
        ["SIMLANE_PASSWORD_HASH_ITERATIONS"] = "Simlane:Auth:PasswordHashIterations",
        ["SIMLANE_RADIUS_CLIENTS"] = "Simlane:Radius:Clients:0",
        ["SIMLANE_RADIUS_AUTH_PORT"] = "Simlane:Radius:AuthPort",
        ["SIMLANE_RADIUS_ACCT_PORT"] = "Simlane:Radius:AcctPort",
        ["SIMLANE_RADIUS_BIND"] = "Simlane:Radius:Bind",
        ["SIMLANE_METRICS"] = "Simlane:Metrics:Enabled",
        ["SIMLANE_DIAMETER_PEERS"] = "Simlane:Diameter:Peers:0",
        ["SIMLANE_DIAMETER_PORT"] = "Simlane:Diameter:Port",
        ["SIMLANE_DIAMETER_BIND"] = "Simlane:Diameter:Bind",
        ["SIMLANE_DIAMETER_ORIGIN_HOST"] = "Simlane:Diameter:OriginHost",
        ["SIMLANE_DIAMETER_ORIGIN_REALM"] = "Simlane:Diameter:OriginRealm",
    };

    /// <summary>Splits <paramref name="args"/> into configuration overrides and the arguments left for ASP.NET.</summary>
    public static (Dictionary<string, string?> Settings, string[] Remaining) Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in EnvironmentVariables)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                settings[key] = value;
            }
        }

        var rest = new List<string>();
        var repeated = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (!Flags.TryGetValue(name, out var key))
            {
                rest.Add(arg);
                continue;
            }

            if (Repeatable.Contains(name))
            {
                // The flags replace the environment variable's list rather than adding to it.
                if (!repeated.TryGetValue(name, out var count))
                {
                    foreach (var stale in settings.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
                    {
                        settings.Remove(stale);
                    }
                }

                var value = arg.Contains('=', StringComparison.Ordinal) ? arg.Split('=', 2)[1]
                    : i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
                settings[$"{key}:{count.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] = value;
                repeated[name] = count + 1;
            }
            else if (arg.Contains('=', StringComparison.Ordinal))
            {
                settings[key] = arg.Split('=', 2)[1];
            }
            else if (Switches.Contains(name))
            {
                settings[key] = "true";
            }
            else if (i + 1 < args.Count)
            {
                settings[key] = args[++i];
            }
            else
            {
                throw new ArgumentException($"{name} needs a value");
            }
        }

        return (settings, [.. rest]);
    }
}
