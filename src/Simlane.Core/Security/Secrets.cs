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
    private const int DefaultIterations = 100_000;
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

    public static bool VerifySecret(string secret, string? stored)
    {
        if (stored is null)
        {
            return false;
        }

        // A stored value that is not exactly what HashSecret writes never verifies: malformed base64 or
        // zero iterations must not throw, and a shortened hash (empty matched any secret) must not pass.
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1)
        {
            return false;
        }

        var salt = new byte[SaltBytes];
        var expected = new byte[HashBytes];
        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength != SaltBytes
            || !Convert.TryFromBase64String(parts[3], expected, out var hashLength) || hashLength != HashBytes)
        {
            return false;
        }

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
