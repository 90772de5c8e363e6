using Microsoft.EntityFrameworkCore;
using Simlane.Core.Accounts;
using Simlane.Core.Errors;
using Simlane.Core.Security;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;
using Simlane.Storage;

namespace Simlane.Server.Auth;

/// <summary>
/// Issues, checks and revokes API key/token pairs, and mints operators and auth keys. Token lifetimes
/// run on real time (<see cref="ClockSource"/>), not on the sandbox clock: moving the sandbox clock a
/// month ahead to test expiries must not log the tester out.
/// </summary>
public sealed class TokenService(SimlaneDb db, ClockSource realTime, PasswordHashing passwords)
{
    private readonly TimeProvider clock = realTime.Inner;

    public const int DefaultTimeoutSeconds = 86400;
    public const int MinTimeoutSeconds = 180;
    public const int MaxTimeoutSeconds = 172800;

    public static int ValidateTimeout(long? seconds)
    {
        var value = seconds ?? DefaultTimeoutSeconds;
        return value is < MinTimeoutSeconds or > MaxTimeoutSeconds
            ? throw new SimlaneException(ErrorCodes.InvalidTokenTimeout, $"tokenTimeoutSeconds must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds}, not {value}")
            : (int)value;
    }

    /// <summary>Creates a new API key with a fresh token. The token is returned once and stored only hashed.</summary>
    public async Task<(string ApiKey, string Token)> IssueAsync(string operatorId, string? authKeyId, int timeoutSeconds)
    {
        var now = clock.NowMs();
        var apiKey = "api-" + Guid.NewGuid().ToString("D");
        var token = NewToken();
        db.ApiTokens.Add(new ApiToken
        {
            ApiKey = apiKey, OperatorId = operatorId, AuthKeyId = authKeyId, TokenHash = Secrets.HashToken(token),
            CreatedTime = now, ExpiresTime = now + (timeoutSeconds * 1000L),
        });
        await db.SaveChangesAsync();
        return (apiKey, token);
    }

    /// <summary>
    /// Adds a new token to the caller's API key (<c>generateAuthToken</c>). The caller's current token and
    /// every other token of the key keep working until their own expiry; tokens of the key that already
    /// expired or were revoked are deleted here so a key does not accumulate dead rows.
    /// </summary>
    public async Task<string> GenerateAsync(string apiKey, int timeoutSeconds)
    {
        var now = clock.NowMs();
        var current = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.ApiKey == apiKey && !t.Revoked && t.ExpiresTime > now)
            ?? throw new SimlaneException(ErrorCodes.InvalidToken); // revoked by a concurrent logout or revocation
        await db.ApiTokens.Where(t => t.ApiKey == apiKey && (t.Revoked || t.ExpiresTime <= now)).ExecuteDeleteAsync();
        var token = NewToken();
        db.ApiTokens.Add(new ApiToken
        {
            ApiKey = apiKey, OperatorId = current.OperatorId, AuthKeyId = current.AuthKeyId, TokenHash = Secrets.HashToken(token),
            CreatedTime = now, ExpiresTime = now + (timeoutSeconds * 1000L),
        });
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>The operator a key/token pair belongs to, or null when the pair is unknown, expired or revoked.</summary>
    public async Task<string?> AuthenticateAsync(string apiKey, string token)
    {
        var hash = Secrets.HashToken(token);
        var row = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash);
        if (row is null || row.Revoked || row.ExpiresTime <= clock.NowMs() || !string.Equals(row.ApiKey, apiKey, StringComparison.Ordinal))
        {
            return null;
        }

        return row.OperatorId;
    }

    /// <summary>Revokes an API key: every token issued for it (<c>logout</c>).</summary>
    public async Task RevokeAsync(string apiKey)
    {
        await db.ApiTokens.Where(t => t.ApiKey == apiKey).ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true));
    }

    /// <summary>Revokes every API key and token of an operator, the caller's included (<c>revokeOperatorAuthTokens</c>).</summary>
    public async Task RevokeAllAsync(string operatorId)
    {
        await db.ApiTokens.Where(t => t.OperatorId == operatorId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true));
    }

    /// <summary>
    /// Changes an operator's password (<c>updateOperatorPassword</c>) after checking the current one, and
    /// revokes every other API key that a password sign-in issued: those were minted with the old password.
    /// The caller's own key and keys issued with an auth key keep working (decisions.md S2).
    /// </summary>
    public async Task ChangePasswordAsync(string operatorId, string callerApiKey, string currentPassword, string newPassword)
    {
        var account = await db.Operators.SingleAsync(o => o.OperatorId == operatorId);
        if (!Secrets.VerifySecret(currentPassword, account.PasswordHash))
        {
            throw new SimlaneException(ErrorCodes.WrongCurrentPassword);
        }

        ValidatePassword(newPassword);
        account.PasswordHash = passwords.Hash(newPassword);
        account.UpdatedTime = clock.NowMs();
        await db.ApiTokens.Where(t => t.OperatorId == operatorId && t.AuthKeyId == null && t.ApiKey != callerApiKey)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true));
        await db.SaveChangesAsync();
    }

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 100;

    /// <summary>A new password: 8 to 100 characters, no control characters (docs/api.md).</summary>
    public static void ValidatePassword(string password)
    {
        if (password.Length is < MinPasswordLength or > MaxPasswordLength || password.Any(char.IsControl))
        {
            throw new SimlaneException(ErrorCodes.InvalidNewPassword);
        }
    }

    /// <summary>Creates a new auth key for an operator; the secret is returned once and stored only hashed.</summary>
    public async Task<(string AuthKeyId, string AuthKeySecret)> GenerateAuthKeyAsync(string operatorId)
    {
        var id = "keyId-" + Secrets.RandomAlphanumeric(32);
        var secret = "secret-" + Secrets.RandomAlphanumeric(64);
        db.AuthKeys.Add(new AuthKey
        {
            AuthKeyId = id, OperatorId = operatorId, SecretHash = passwords.Hash(secret), CreatedTime = clock.NowMs(),
        });
        await db.SaveChangesAsync();
        return (id, secret);
    }

    /// <summary>Creates an operator. The email is normalised to lower case and must be unused.</summary>
    public async Task<OperatorAccount> CreateOperatorAsync(string email, string? password)
    {
        var normalized = Emails.Normalize(email);
        if (await db.Operators.AnyAsync(o => o.Email == normalized))
        {
            throw new SimlaneException(ErrorCodes.EmailAlreadyRegistered, $"{normalized} is already registered");
        }

        var now = clock.NowMs();
        string id;
        do
        {
            id = "OP" + Secrets.RandomDigits(10);
        }
        while (await db.Operators.AnyAsync(o => o.OperatorId == id));

        var account = new OperatorAccount
        {
            OperatorId = id, Email = normalized, PasswordHash = password is null ? null : passwords.Hash(password),
            CreatedTime = now, UpdatedTime = now,
        };
        db.Operators.Add(account);
        await db.SaveChangesAsync();
        return account;
    }

    private static string NewToken() => "tok-" + Secrets.RandomAlphanumeric(48);
}

public static class Emails
{
    public static string Normalize(string? email)
    {
        var value = Require.NotEmpty(email, "email").Trim().ToLowerInvariant();
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || !value[(at + 1)..].Contains('.', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace) || value.Length > 254)
        {
            throw new SimlaneException(ErrorCodes.EmailMalformed, $"email: '{email}' is not a valid email address");
        }

        return value;
    }
}
