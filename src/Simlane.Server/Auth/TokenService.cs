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
public sealed class TokenService(SimlaneDb db, ClockSource realTime)
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

    /// <summary>Replaces the token of the caller's API key; the old token stops working.</summary>
    public async Task<string> RenewAsync(string apiKey, int timeoutSeconds)
    {
        var row = await db.ApiTokens.SingleAsync(t => t.ApiKey == apiKey);
        var token = NewToken();
        row.TokenHash = Secrets.HashToken(token);
        row.ExpiresTime = clock.NowMs() + (timeoutSeconds * 1000L);
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>The operator a key/token pair belongs to, or null when the pair is unknown, expired or revoked.</summary>
    public async Task<string?> AuthenticateAsync(string apiKey, string token)
    {
        var row = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.ApiKey == apiKey);
        if (row is null || row.Revoked || row.ExpiresTime <= clock.NowMs() || !Secrets.TokenMatches(token, row.TokenHash))
        {
            return null;
        }

        return row.OperatorId;
    }

    public async Task RevokeAsync(string apiKey)
    {
        await db.ApiTokens.Where(t => t.ApiKey == apiKey).ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true));
    }

    /// <summary>Creates a new auth key for an operator; the secret is returned once and stored only hashed.</summary>
    public async Task<(string AuthKeyId, string AuthKeySecret)> GenerateAuthKeyAsync(string operatorId)
    {
        var id = "keyId-" + Secrets.RandomAlphanumeric(32);
        var secret = "secret-" + Secrets.RandomAlphanumeric(64);
        db.AuthKeys.Add(new AuthKey
        {
            AuthKeyId = id, OperatorId = operatorId, SecretHash = Secrets.HashSecret(secret), CreatedTime = clock.NowMs(),
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
            OperatorId = id, Email = normalized, PasswordHash = password is null ? null : Secrets.HashSecret(password),
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
