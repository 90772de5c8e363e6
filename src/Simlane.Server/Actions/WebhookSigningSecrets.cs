using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Simlane.Storage;

namespace Simlane.Server.Actions;

/// <summary>
/// Each operator's webhook signing secret: generated on the first web request that needs it, replaced by
/// <c>POST /v1/operators/{operator_id}/webhook_secret</c> (the only time it is returned), kept encrypted
/// with <see cref="SecretProtector"/> in <c>webhook_secrets</c>. The signature scheme is in docs/actions.md.
/// </summary>
public sealed class WebhookSigningSecrets(IServiceScopeFactory scopes, SecretProtector protector, TimeProvider clock)
{
    /// <summary>The Data Protection purpose of the stored secrets.</summary>
    public const string Purpose = "webhook-secret";

    /// <summary>Every secret starts with this, so that one pasted into the wrong place is recognisable.</summary>
    public const string Prefix = "whsec_";

    /// <summary>
    /// The operator's secret, generated and stored if it has none yet; null when the operator does not exist.
    /// Throws <see cref="CryptographicException"/> when the stored secret cannot be decrypted (the Data
    /// Protection keys were lost or changed).
    /// </summary>
    public async Task<string?> GetOrCreateAsync(string operatorId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
            var stored = await db.WebhookSecrets.AsNoTracking().Where(s => s.OperatorId == operatorId).Select(s => s.ProtectedSecret).SingleOrDefaultAsync(cancellationToken);
            if (stored is not null)
            {
                return protector.Unprotect(Purpose, stored);
            }

            if (!await db.Operators.AnyAsync(o => o.OperatorId == operatorId, cancellationToken))
            {
                return null;
            }

            var secret = Generate();
            db.WebhookSecrets.Add(new WebhookSecret { OperatorId = operatorId, ProtectedSecret = protector.Protect(Purpose, secret), CreatedTime = clock.GetUtcNow().ToUnixTimeMilliseconds() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return secret;
            }
            catch (DbUpdateException e) when (attempt < 3 && (DbErrors.IsUniqueViolation(e) || DbErrors.IsForeignKeyViolation(e)))
            {
                // Another delivery generated it first (read it), or the operator is gone (answer null).
            }
        }
    }

    /// <summary>Replaces the operator's secret with a new one and returns it. Requests signed from now on use it.</summary>
    public async Task<string> RotateAsync(string operatorId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
            var secret = Generate();
            var protectedSecret = protector.Protect(Purpose, secret);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var row = await db.WebhookSecrets.SingleOrDefaultAsync(s => s.OperatorId == operatorId, cancellationToken);
            if (row is null)
            {
                db.WebhookSecrets.Add(new WebhookSecret { OperatorId = operatorId, ProtectedSecret = protectedSecret, CreatedTime = now });
            }
            else
            {
                row.ProtectedSecret = protectedSecret;
                row.CreatedTime = now;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return secret;
            }
            catch (DbUpdateException e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
            {
                // A first delivery generated one at the same moment: replace that one.
            }
        }
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64url (256 bits).</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The <c>X-Simlane-Signature</c> value: <c>v1=</c> and the lower-case hex HMAC-SHA256, keyed with the
    /// UTF-8 bytes of the whole secret, of the bytes of <c>"{timestamp}."</c> followed by the body bytes as sent.
    /// </summary>
    public static string Sign(string secret, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestampSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
