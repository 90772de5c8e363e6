using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Simlane.Core.Security;

/// <summary>
/// Hashing and generation of secrets. Passwords, auth-key secrets and registration secrets are low
/// or medium entropy and get PBKDF2-SHA256 with a per-secret salt; tokens are 256-bit random and get a
/// plain SHA-256. Every comparison is constant-time.
/// </summary>
public static class Secrets
{
    /// <summary>The PBKDF2 cost of passwords and auth-key secrets unless the server is configured otherwise (Simlane:Auth:PasswordHashIterations).</summary>
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>Hashes a secret as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64 parts).</summary>
    public static string HashSecret(string secret, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool VerifySecret(string secret, string? stored) =>
        TryParse(stored, out var salt, out var expected, out var iterations) && Matches(secret, salt, expected, iterations);

    /// <summary>
    /// Verifies a sign-in secret (password, auth-key secret) with the same work whether or not the account
    /// exists: with no usable stored hash (<paramref name="stored"/> null: unknown account, or an account without
    /// a password) the secret is checked against a dummy hash at <paramref name="unknownIterations"/> (the cost new
    /// secrets are hashed with) and the answer is false. So the time of a failed sign-in does not tell whether the
    /// email or auth key ID exists. <c>iterations</c>: the PBKDF2 iterations that ran.
    /// </summary>
    public static bool VerifySignInSecret(string secret, string? stored, out int iterations, int unknownIterations = DefaultIterations)
    {
        if (TryParse(stored, out var salt, out var expected, out iterations))
        {
            return Matches(secret, salt, expected, iterations);
        }

        var dummy = Dummy.Value;
        iterations = unknownIterations;
        _ = Matches(secret, dummy.Salt, dummy.Hash, iterations);
        return false;
    }

    /// <summary>
    /// A random salt and a random expected hash: what an unknown account is verified against. No secret derives
    /// to it (2^-256), and the work of the check is the PBKDF2 run at the chosen cost, not this value.
    /// </summary>
    private static readonly Lazy<(byte[] Salt, byte[] Hash)> Dummy = new(() =>
        (RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(HashBytes)));

    /// <summary>
    /// Parses what <see cref="HashSecret"/> writes. Anything else never verifies: malformed base64 or zero
    /// iterations must not throw, and a shortened hash (empty matched any secret) must not pass.
    /// </summary>
    private static bool TryParse(string? stored, out byte[] salt, out byte[] expected, out int iterations)
    {
        salt = new byte[SaltBytes];
        expected = new byte[HashBytes];
        iterations = 0;
        if (stored is null)
        {
            return false;
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            || parsed < 1)
        {
            return false;
        }

        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength != SaltBytes
            || !Convert.TryFromBase64String(parts[3], expected, out var hashLength) || hashLength != HashBytes)
        {
            return false;
        }

        iterations = parsed;
        return true;
    }

    private static bool Matches(string secret, byte[] salt, byte[] expected, int iterations)
    {
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>SHA-256 of a high-entropy token, hex.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool TokenMatches(string token, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashToken(token)), Encoding.ASCII.GetBytes(storedHash));

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string RandomAlphanumeric(int length) => RandomNumberGenerator.GetString(Alphanumerics, length);

    public static string RandomDigits(int length) => RandomNumberGenerator.GetString("0123456789", length);
}
