namespace Simlane.Core.Accounts;

/// <summary>An account: it owns SIMs, groups, auth keys and everything else. IDs look like <c>OP0012345678</c>.</summary>
public sealed class OperatorAccount
{
    public required string OperatorId { get; set; }

    public required string Email { get; set; }

    /// <summary>Slow salted hash; null for an operator created with an auth key only.</summary>
    public string? PasswordHash { get; set; }

    public string Description { get; set; } = "";

    public long CreatedTime { get; set; }

    public long UpdatedTime { get; set; }
}

/// <summary>A long-lived credential pair (<c>keyId-…</c>, <c>secret-…</c>); only a hash of the secret is kept.</summary>
public sealed class AuthKey
{
    public required string AuthKeyId { get; set; }

    public required string OperatorId { get; set; }

    public required string SecretHash { get; set; }

    public long CreatedTime { get; set; }

    public long? LastUsedTime { get; set; }
}

/// <summary>
/// One token of an API key. <c>POST /auth</c> creates a key with its first token; <c>generateAuthToken</c>
/// adds tokens to the same key, each living until its own expiry. The token itself is never stored: only
/// its SHA-256 (the row's key), which is enough for a 256-bit random value. Logging out revokes every
/// token of the key.
/// </summary>
public sealed class ApiToken
{
    public required string ApiKey { get; set; }

    public required string OperatorId { get; set; }

    public required string TokenHash { get; set; }

    public string? AuthKeyId { get; set; }

    public long CreatedTime { get; set; }

    public long ExpiresTime { get; set; }

    public bool Revoked { get; set; }
}
