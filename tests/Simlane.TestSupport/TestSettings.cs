namespace Simlane.TestSupport;

/// <summary>
/// The configuration every test server starts with, in-process (<see cref="SimlaneFactory"/>) or as a child process
/// (as <c>Simlane__…</c> environment variables). A test overrides any of them through its own settings. No log levels:
/// a child process must still log "Now listening on:", which is how its address is learnt.
/// </summary>
public static class TestSettings
{
    /// <summary>The PBKDF2 cost of test servers: thousands of sign-ups must not spend the suite's time hashing.</summary>
    public const int PasswordHashIterations = 1_000;

    public static IReadOnlyDictionary<string, string> Common { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Simlane:RateLimits:Enabled"] = "false", // a test that needs them turns them on in its settings
        ["Simlane:Auth:InsecurePasswordHashingForTests"] = "true",
        ["Simlane:Auth:PasswordHashIterations"] = PasswordHashIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary><see cref="Common"/> as the environment variables of a child server process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> AsEnvironment() =>
        Common.Select(setting => KeyValuePair.Create(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value));
}
