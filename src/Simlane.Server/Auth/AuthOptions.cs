using Simlane.Core.Security;

namespace Simlane.Server.Auth;

/// <summary>
/// The <c>Simlane:Auth</c> section: the PBKDF2 cost of new passwords and auth-key secrets. Every stored hash carries
/// its own cost (<c>pbkdf2-sha256$iterations$salt$hash</c>), so changing the option changes only hashes made after
/// it; existing ones keep verifying at the cost they were made with.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Simlane:Auth";

    /// <summary>The lowest cost a server accepts (the default): PBKDF2-SHA256 below it is too cheap to guess against.</summary>
    public const int MinIterations = Secrets.DefaultIterations;

    /// <summary>The highest: a sign-in at 10 million iterations already takes seconds of CPU.</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>PBKDF2-SHA256 iterations of new passwords and auth-key secrets. Default 100,000.</summary>
    public int PasswordHashIterations { get; set; } = Secrets.DefaultIterations;

    /// <summary>
    /// Test hosts only: allows <see cref="PasswordHashIterations"/> below <see cref="MinIterations"/> (down to 1) so a
    /// test suite that signs up thousands of operators does not spend its time in PBKDF2. Only a configuration key
    /// (no flag, no SIMLANE_ variable), it lowers nothing by itself, and a server started with it logs a warning.
    /// </summary>
    public bool InsecurePasswordHashingForTests { get; set; }

    public void Validate()
    {
        var min = InsecurePasswordHashingForTests ? 1 : MinIterations;
        if (PasswordHashIterations < min || PasswordHashIterations > MaxIterations)
        {
            throw new InvalidOperationException(InsecurePasswordHashingForTests
                ? $"{Section}:PasswordHashIterations must be between 1 and {MaxIterations}, not {PasswordHashIterations}"
                : $"{Section}:PasswordHashIterations must be between {MinIterations} and {MaxIterations}, not {PasswordHashIterations}: " +
                  $"a lower PBKDF2 cost makes stolen password hashes cheap to guess");
        }
    }
}

/// <summary>Hashes and checks passwords and auth-key secrets at the configured cost (<see cref="AuthOptions"/>).</summary>
public sealed class PasswordHashing(int iterations)
{
    /// <summary>The production cost: what the admin commands, which read no server configuration, use.</summary>
    public static PasswordHashing Default { get; } = new(Secrets.DefaultIterations);

    /// <summary>The PBKDF2 iterations of new hashes, and of the dummy check of an unknown account.</summary>
    public int Iterations { get; } = iterations;

    public string Hash(string secret) => Secrets.HashSecret(secret, Iterations);
}
