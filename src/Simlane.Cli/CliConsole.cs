namespace Simlane.Cli;

/// <summary>
/// Everything the CLI reads from or writes to its surroundings: streams, environment variables, the home
/// directory, whether stdin is a terminal, the clock and the HTTP handler. <see cref="FromSystem"/> is the
/// real process; tests build their own and run the CLI in-process.
/// </summary>
public sealed class CliConsole
{
    public required TextReader In { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Environment variables (only SIMLANE_* are read).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The user's home directory; profiles live in <c>~/.simlane</c> unless SIMLANE_PROFILE_DIR says otherwise.</summary>
    public required string HomeDirectory { get; init; }

    /// <summary>True when stdin is a terminal: <c>simlane configure</c> then prompts for what its flags leave out.</summary>
    public bool IsInteractive { get; init; }

    public TimeProvider Clock { get; init; } = SystemClock.Instance;

    /// <summary>The HTTP handler under the CLI's HttpClient; null means a plain <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Reads a secret without echoing it when stdin is a real terminal; otherwise reads a line.</summary>
    public Func<string?>? ReadSecret { get; init; }

    public string? Variable(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static CliConsole FromSystem()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? "";
        }

        var interactive = !Console.IsInputRedirected;
        return new CliConsole
        {
            In = Console.In,
            Out = Console.Out,
            Error = Console.Error,
            Environment = environment,
            HomeDirectory = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
            IsInteractive = interactive,
            ReadSecret = interactive ? ReadHiddenLine : null,
        };
    }

    private static string ReadHiddenLine()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Out.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}

/// <summary>The one place that reads the system clock; everything else receives <see cref="TimeProvider"/>.</summary>
public static class SystemClock
{
#pragma warning disable RS0030 // The composition root is the single allowed reader of the system clock.
    public static TimeProvider Instance => TimeProvider.System;
#pragma warning restore RS0030
}

/// <summary>A usage mistake found before any request (exit code 2), worded like soracom-cli's.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A failure after parsing: credentials, network, the server's error answer (exit code 1).</summary>
public sealed class CommandFailedException(string message) : Exception(message);
