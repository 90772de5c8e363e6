using MimeKit;

namespace Simlane.Server.Actions;

/// <summary>
/// The SMTP server the mail actions send through, bound from <c>Simlane:Smtp</c> (flags <c>--smtp-*</c>,
/// environment variables <c>SIMLANE_SMTP_*</c>). Without a <see cref="Host"/> mail is not configured and every
/// mail action fails permanently with "mail is not configured". <see cref="Password"/> is never logged.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Simlane:Smtp";

    /// <summary>Plain SMTP; for a relay on the same host or network only.</summary>
    public const string TlsNone = "none";

    /// <summary>Plain connection upgraded with STARTTLS; fails when the server does not offer it (the default).</summary>
    public const string TlsStartTls = "starttls";

    /// <summary>TLS from the first byte ("SMTPS", usually port 465).</summary>
    public const string TlsImplicit = "tls";

    public static readonly IReadOnlyList<string> TlsModes = [TlsNone, TlsStartTls, TlsImplicit];

    /// <summary>The SMTP server; empty = mail is not configured.</summary>
    public string? Host { get; set; }

    /// <summary>Empty = by <see cref="TlsMode"/>: 25 for none, 587 for starttls, 465 for tls.</summary>
    public int? Port { get; set; }

    /// <summary><c>none</c>, <c>starttls</c> (default) or <c>tls</c>.</summary>
    public string TlsMode { get; set; } = TlsStartTls;

    /// <summary>Authenticates when set (with <see cref="Password"/>); empty = no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The SMTP password. Never logged, never part of an error.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address; empty = <c>no-reply@soracom.jp</c> (coverage jp) or <c>no-reply@soracom.io</c> (g), as SORACOM sends.</summary>
    public string? From { get; set; }

    /// <summary>How long one SMTP operation (connect, a command, the message) may take.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public int ResolvePort() => Port ?? TlsMode switch
    {
        TlsNone => 25,
        TlsImplicit => 465,
        _ => 587,
    };

    /// <summary>SORACOM's sender for the coverage (domain.md 1.7.3).</summary>
    public static string DefaultFrom(string coverage) => coverage == "g" ? "no-reply@soracom.io" : "no-reply@soracom.jp";

    public void Validate()
    {
        if (!TlsModes.Contains(TlsMode))
        {
            throw new InvalidOperationException($"Simlane:Smtp:TlsMode (--smtp-tls) must be one of {string.Join(", ", TlsModes)}, not '{TlsMode}'");
        }

        if (Port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Simlane:Smtp:Port (--smtp-port) must be from 1 to 65535, not {Port}");
        }

        if (!string.IsNullOrEmpty(Password) && string.IsNullOrWhiteSpace(Username))
        {
            throw new InvalidOperationException("Simlane:Smtp:Password (--smtp-password) is set without Simlane:Smtp:Username (--smtp-username)");
        }

        if (!string.IsNullOrWhiteSpace(From) && !MailboxAddress.TryParse(From, out _))
        {
            throw new InvalidOperationException($"Simlane:Smtp:From (--smtp-from) is not an e-mail address: '{From}'");
        }

        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 600))
        {
            throw new InvalidOperationException($"Simlane:Smtp:TimeoutSeconds must be more than 0 and at most 600, not {TimeoutSeconds}");
        }
    }
}

/// <summary>
/// Settings of the web request (and Lambda) actions, bound from <c>Simlane:Actions</c>
/// (<c>--allow-private-addresses</c>, <c>--web-request-timeout</c>).
/// </summary>
public sealed class ActionOptions
{
    public const string Section = "Simlane:Actions";

    /// <summary>
    /// Lets web requests reach loopback, private, link-local, unique-local and unspecified addresses. Empty =
    /// allowed in sandbox mode only (so a production server cannot be made to call its own network).
    /// </summary>
    public bool? AllowPrivateAddresses { get; set; }

    /// <summary>The whole request, from DNS resolution to the response headers; default 10 s.</summary>
    public double WebRequestTimeoutSeconds { get; set; } = 10;

    public void Validate()
    {
        if (!(WebRequestTimeoutSeconds > 0 && WebRequestTimeoutSeconds <= 300))
        {
            throw new InvalidOperationException($"Simlane:Actions:WebRequestTimeoutSeconds (--web-request-timeout) must be more than 0 and at most 300, not {WebRequestTimeoutSeconds}");
        }
    }
}
