using System.Globalization;
using Simlane.Cli.Auth;

namespace Simlane.Cli.Commands;

/// <summary>
/// <c>simlane configure</c>: writes a profile from its flags; when stdin is a terminal it asks for whatever the
/// flags leave out (the endpoint, then an auth key or an email and password), otherwise a missing credential
/// is a usage error.
/// </summary>
public static class ConfigureCommand
{
    private const int MinTokenTimeout = 180;
    private const int MaxTokenTimeout = 172800;

    public static async Task<int> RunAsync(ParsedCommand parsed, CliConsole console)
    {
        var store = new ProfileStore(console);
        var name = parsed.Globals.Profile ?? ProfileStore.DefaultProfile;
        Profile? existing = null;
        try
        {
            existing = store.Load(name);
        }
        catch (CommandFailedException)
        {
            // an unreadable or too-open profile is being replaced
        }

        var endpoint = parsed.Last("endpoint");
        var authKeyId = parsed.Last("auth-key-id");
        var authKey = parsed.Last("auth-key");
        var email = parsed.Last("email");
        var password = parsed.Last("password");
        var byKey = authKeyId is not null || authKey is not null;
        var byPassword = email is not null || password is not null;
        if (byKey && byPassword)
        {
            throw new UsageException("give either --auth-key-id and --auth-key, or --email and --password, not both");
        }

        int? timeout = null;
        if (parsed.Last("token-timeout-seconds") is { } timeoutText)
        {
            timeout = int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= MinTokenTimeout and <= MaxTokenTimeout
                ? seconds
                : throw new UsageException($"invalid argument \"{timeoutText}\" for \"--token-timeout-seconds\" flag: an integer from {MinTokenTimeout} to {MaxTokenTimeout} is expected");
        }

        var complete = (byKey && authKeyId is not null && authKey is not null) || (byPassword && email is not null && password is not null);
        if (!complete && !console.IsInteractive)
        {
            throw byKey ? new UsageException("both --auth-key-id and --auth-key must be specified")
                : byPassword ? new UsageException("both --email and --password must be specified")
                : new UsageException("configure needs --auth-key-id and --auth-key, or --email and --password (stdin is not a terminal, so nothing can be asked)");
        }

        if (!complete)
        {
            await console.Out.WriteLineAsync($"Writing the profile '{name}' to {store.PathOf(name)}");
            if (endpoint is null)
            {
                var suggested = existing?.Endpoint ?? Session.DefaultEndpoint;
                endpoint = await AskAsync(console, $"endpoint [{suggested}]: ") is { Length: > 0 } answer ? answer : suggested;
            }

            if (!byKey && !byPassword)
            {
                await console.Out.WriteLineAsync("Authentication:\n  1. auth key (authKeyId and authKey)\n  2. root account (email and password)");
                while (!byKey && !byPassword)
                {
                    switch (await AskAsync(console, "select [1-2]: "))
                    {
                        case "1":
                            byKey = true;
                            break;
                        case "2":
                            byPassword = true;
                            break;
                        case null:
                            throw new UsageException("configure: no answer on stdin");
                    }
                }
            }

            if (byKey)
            {
                authKeyId ??= await AskRequiredAsync(console, "authKeyId: ", secret: false);
                authKey ??= await AskRequiredAsync(console, "authKey: ", secret: true);
            }
            else
            {
                email ??= await AskRequiredAsync(console, "email: ", secret: false);
                password ??= await AskRequiredAsync(console, "password: ", secret: true);
            }
        }

        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UsageException($"invalid argument \"{endpoint}\" for \"--endpoint\" flag: an http:// or https:// URL is expected");
        }

        var profile = new Profile
        {
            Endpoint = endpoint ?? existing?.Endpoint,
            AuthKeyId = byKey ? authKeyId : null,
            AuthKey = byKey ? authKey : null,
            Email = byKey ? null : email,
            Password = byKey ? null : password,
            TokenTimeoutSeconds = timeout ?? existing?.TokenTimeoutSeconds,
        };
        store.Save(name, profile);
        await console.Out.WriteLineAsync($"profile '{name}' written to {store.PathOf(name)}");
        return CliApp.Success;
    }

    private static async Task<string?> AskAsync(CliConsole console, string prompt)
    {
        await console.Out.WriteAsync(prompt);
        await console.Out.FlushAsync();
        return (await console.In.ReadLineAsync())?.Trim();
    }

    private static async Task<string> AskRequiredAsync(CliConsole console, string prompt, bool secret)
    {
        while (true)
        {
            string? answer;
            if (secret && console.ReadSecret is { } readSecret)
            {
                await console.Out.WriteAsync(prompt);
                await console.Out.FlushAsync();
                answer = readSecret();
            }
            else
            {
                answer = await AskAsync(console, prompt);
            }

            if (answer is null)
            {
                throw new UsageException("configure: no answer on stdin");
            }

            if (answer.Length > 0)
            {
                return answer;
            }
        }
    }
}
