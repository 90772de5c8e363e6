using Simlane.Core.Security;

namespace Simlane.Server.Auth;

/// <summary>
/// Checks the secret of a sign-in (<c>POST /v1/auth</c>: a password, or an auth key's secret) with the same
/// PBKDF2 work whether or not the email or auth key ID exists (<see cref="Secrets.VerifySignInSecret"/>), so
/// a failed sign-in's timing does not reveal which accounts exist. Counts what it did, so tests can check
/// that every outcome ran the same work without timing anything.
/// </summary>
public sealed class SignInVerifier(PasswordHashing passwords)
{
    private long verifications;
    private long iterations;

    /// <summary>Secrets verified since start.</summary>
    public long Verifications => Interlocked.Read(ref verifications);

    /// <summary>PBKDF2 iterations run for them since start.</summary>
    public long Iterations => Interlocked.Read(ref iterations);

    /// <summary>
    /// True when <paramref name="secret"/> matches <paramref name="storedHash"/>; null (no such account, or
    /// no password set) costs what a new hash costs and is false.
    /// </summary>
    public bool Verify(string secret, string? storedHash)
    {
        var matches = Secrets.VerifySignInSecret(secret, storedHash, out var ran, passwords.Iterations);
        Interlocked.Increment(ref verifications);
        Interlocked.Add(ref iterations, ran);
        return matches;
    }
}
