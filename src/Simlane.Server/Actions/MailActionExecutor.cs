using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Simlane.Core.Actions;
using Simlane.Core.Handlers;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Actions;

/// <summary>
/// <c>SendMailAction</c> (to <c>to</c>) and <c>SendMailToOperatorAction</c> (to the operator's e-mail address)
/// over SMTP with MailKit: subject <c>title</c>, plain-text body <c>message</c>. The Message-ID is derived from
/// the delivery key, so a redelivered mail carries the same Message-ID and receivers can de-duplicate.
/// SMTP connection failures and 4xx replies are transient, 5xx replies (a rejected recipient, failed
/// authentication) and configuration errors permanent (docs/actions.md, "Mail").
/// </summary>
public sealed partial class MailActionExecutor(
    IOptions<SmtpOptions> smtpOptions,
    IOptions<SimlaneOptions> simlaneOptions,
    IServiceScopeFactory scopes,
    ILogger<MailActionExecutor> logger) : IActionExecutor
{
    private readonly SmtpOptions smtp = smtpOptions.Value;
    private readonly string from = string.IsNullOrWhiteSpace(smtpOptions.Value.From) ? SmtpOptions.DefaultFrom(simlaneOptions.Value.Coverage) : smtpOptions.Value.From;

    public IReadOnlyCollection<string> ActionTypes { get; } = [ActionCatalogue.SendMail, ActionCatalogue.SendMailToOperator];

    public async Task<ActionOutcome> ExecuteAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        var outcome = await SendAsync(attempt, cancellationToken);
        if (outcome.Kind != ActionOutcomeKind.Succeeded)
        {
            LogFailed(logger, attempt.DeliveryKey, attempt.Attempt, outcome.Kind, outcome.Error);
        }

        return outcome;
    }

    private async Task<ActionOutcome> SendAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        if (!smtp.IsConfigured)
        {
            return ActionOutcome.Permanent("mail is not configured (set Simlane:Smtp:Host, --smtp-host)");
        }

        string to;
        if (attempt.ActionType == ActionCatalogue.SendMailToOperator)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
            var email = await db.Operators.AsNoTracking().Where(o => o.OperatorId == attempt.OperatorId).Select(o => o.Email).SingleOrDefaultAsync(cancellationToken);
            if (email is null)
            {
                return ActionOutcome.Permanent($"operator '{attempt.OperatorId}' does not exist");
            }

            to = email;
        }
        else if (attempt.ActionType == ActionCatalogue.SendMail)
        {
            to = Property(attempt, "to") ?? "";
            if (string.IsNullOrWhiteSpace(to))
            {
                return ActionOutcome.Permanent("to is missing");
            }
        }
        else
        {
            return ActionOutcome.Permanent($"not a mail action: {attempt.ActionType}");
        }

        if (!MailboxAddress.TryParse(to, out var recipient) || string.IsNullOrEmpty(recipient.Address) || !recipient.Address.Contains('@', StringComparison.Ordinal))
        {
            return ActionOutcome.Permanent($"'{to}' is not an e-mail address");
        }

        var message = Compose(attempt, recipient);
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
        try
        {
            var security = smtp.TlsMode switch
            {
                SmtpOptions.TlsNone => SecureSocketOptions.None,
                SmtpOptions.TlsImplicit => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host!, smtp.ResolvePort(), security, cancellationToken);
            if (!string.IsNullOrWhiteSpace(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            return Classify(exception);
        }

        // The server has accepted the message: nothing after this (a failing QUIT, even shutting down) may turn
        // it into a retry, which would send a second copy.
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception)
        {
            // The connection is dropped with the client.
        }

        return ActionOutcome.Success();
    }

    private MimeMessage Compose(ActionAttempt attempt, MailboxAddress recipient)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage();
        message.From.Add(sender);
        message.To.Add(recipient);
        message.Subject = Property(attempt, "title") ?? "";
        message.Date = DateTimeOffset.FromUnixTimeMilliseconds(attempt.Now);
        message.MessageId = MessageId(attempt.DeliveryKey, sender.Domain);
        message.Headers.Add("X-Simlane-Delivery-Id", attempt.DeliveryKey);

        // RFC 3834: an automatic message, so that vacation responders stay quiet.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain") { Text = Property(attempt, "message") ?? "" };
        return message;
    }

    /// <summary>
    /// The Message-ID (without angle brackets) for a delivery: <c>{key}@{sender domain}</c> when the key is
    /// a valid dot-atom, else a hex SHA-256 of the key. The same key always gives the same Message-ID.
    /// </summary>
    public static string MessageId(string deliveryKey, string domain)
    {
        var left = IsDotAtom(deliveryKey)
            ? deliveryKey
            : "simlane-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey)));
        return $"{left}@{(string.IsNullOrEmpty(domain) ? "simlane.invalid" : domain)}";
    }

    private static bool IsDotAtom(string text) =>
        text.Length is > 0 and <= 128 && !text.StartsWith('.') && !text.EndsWith('.') && !text.Contains("..", StringComparison.Ordinal)
        && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal));

    private static string? Property(ActionAttempt attempt, string name) =>
        attempt.Properties[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Which failures heal by themselves (retry) and which need someone to change something.</summary>
    private ActionOutcome Classify(Exception exception)
    {
        var server = $"{smtp.Host}:{smtp.ResolvePort()}";
        return exception switch
        {
            SmtpCommandException command when (int)command.StatusCode is >= 400 and < 500 =>
                ActionOutcome.Transient($"SMTP server {server} answered {(int)command.StatusCode}: {command.Message.Trim()}"),
            SmtpCommandException command =>
                ActionOutcome.Permanent($"SMTP server {server} answered {(int)command.StatusCode}: {command.Message.Trim()}"),
            AuthenticationException =>
                ActionOutcome.Permanent($"SMTP server {server} refused the credentials of user '{smtp.Username}'"),
            ServiceNotAuthenticatedException =>
                ActionOutcome.Permanent($"SMTP server {server} requires authentication (set Simlane:Smtp:Username and Password)"),
            NotSupportedException notSupported =>
                ActionOutcome.Permanent($"SMTP server {server}: {notSupported.Message} (check Simlane:Smtp:TlsMode and Username)"),
            SslHandshakeException =>
                ActionOutcome.Transient($"SMTP server {server}: the TLS handshake failed (certificate or TLS mode)"),
            SmtpProtocolException protocol =>
                ActionOutcome.Transient($"SMTP server {server}: protocol error: {protocol.Message}"),
            SocketException socket =>
                ActionOutcome.Transient($"SMTP server {server}: cannot connect: {socket.Message}"),
            TimeoutException or OperationCanceledException =>
                ActionOutcome.Transient($"SMTP server {server}: timed out after {smtp.TimeoutSeconds} s"),
            IOException or ServiceNotConnectedException =>
                ActionOutcome.Transient($"SMTP server {server}: connection lost: {exception.Message}"),
            _ => ActionOutcome.Transient($"SMTP server {server}: {exception.GetType().Name}: {exception.Message}"),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail delivery {DeliveryKey} (attempt {Attempt}) failed ({Kind}): {Error}")]
    private static partial void LogFailed(ILogger logger, string deliveryKey, int attempt, ActionOutcomeKind kind, string? error);
}
