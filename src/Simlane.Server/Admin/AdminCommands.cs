using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Admin;

/// <summary>
/// <c>simlane-server admin …</c>: operations for a production deployment that are not API calls
/// (there is no sign-up API outside sandbox mode). They use the same <c>--data</c>/<c>--database</c>
/// settings as the server and apply migrations first.
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        Usage: simlane-server admin <command> [options] [--data DIR | --database CONNECTION]

        Commands:
          create-operator --email EMAIL [--password PASSWORD]
              Creates an operator and prints its ID and its first auth key (the secret is shown once).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                await stdout.WriteLineAsync(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var (settings, rest) = CommandLine.Parse(args[1..]);
            var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
                .GetSection(SimlaneOptions.Section).Get<SimlaneOptions>() ?? new SimlaneOptions();
            var database = options.ResolveDatabase();
            await Migrator.MigrateAsync(database);
            var flags = ParseFlags(rest);
            switch (args[0])
            {
                case "create-operator":
                    return await CreateOperatorAsync(database, flags, stdout);
                default:
                    await stderr.WriteLineAsync($"Unknown admin command '{args[0]}'.\n{Usage}");
                    return 2;
            }
        }
        catch (Exception e) when (e is Core.Errors.SimlaneException or ArgumentException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    public static Dictionary<string, string> ParseFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'");
            }

            if (args[i].Contains('=', StringComparison.Ordinal))
            {
                var parts = args[i].Split('=', 2);
                flags[parts[0]] = parts[1];
            }
            else if (i + 1 < args.Count)
            {
                flags[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }
        }

        return flags;
    }

    private static async Task<int> CreateOperatorAsync(DatabaseOptions database, Dictionary<string, string> flags, TextWriter stdout)
    {
        if (!flags.TryGetValue("--email", out var email))
        {
            throw new ArgumentException("--email is required");
        }

        flags.TryGetValue("--password", out var password);
        await using var db = database.CreateContext();
        var tokens = new TokenService(db, new Scheduling.ClockSource(SystemClock.Instance));
        var account = await tokens.CreateOperatorAsync(email, password);
        var (keyId, secret) = await tokens.GenerateAuthKeyAsync(account.OperatorId);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { operatorId = account.OperatorId, email = account.Email, authKeyId = keyId, authKey = secret }, Json.Options));
        return 0;
    }
}
