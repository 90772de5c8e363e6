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
          import-sims --file FILE.csv
              Imports physical SIMs into inventory (unowned, status ready) from CSV with a header row:
              iccid, imsi, msisdn, serial, registrationSecret, subscription [, bundles (';'-separated), moduleType].
              Rows already present are skipped, so a re-import never duplicates. Prints
              "imported N, skipped N, rejected N" and one "line L: reason" per rejected row.

        Exit codes: 0 success, 1 failure or rejected rows, 2 usage error.
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

            if (args[0] is not ("create-operator" or "import-sims"))
            {
                await stderr.WriteLineAsync($"Unknown admin command '{args[0]}'.\n{Usage}");
                return 2;
            }

            var (settings, rest) = CommandLine.Parse(args[1..]);
            var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
                .GetSection(SimlaneOptions.Section).Get<SimlaneOptions>() ?? new SimlaneOptions();
            var flags = ParseFlags(rest);
            var database = options.ResolveDatabase();
            return args[0] switch
            {
                "create-operator" => await CreateOperatorAsync(database, flags, stdout),
                _ => await ImportSimsAsync(database, flags, stdout, stderr),
            };
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return 2;
        }
        catch (SimImport.FileFormatException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is Core.Errors.SimlaneException or ArgumentException or IOException)
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
                throw new UsageException($"Unexpected argument '{args[i]}'");
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
                throw new UsageException($"{args[i]} needs a value");
            }
        }

        return flags;
    }

    private static async Task<int> CreateOperatorAsync(DatabaseOptions database, Dictionary<string, string> flags, TextWriter stdout)
    {
        if (!flags.TryGetValue("--email", out var email))
        {
            throw new UsageException("--email is required");
        }

        RejectUnknown(flags, "--email", "--password");
        flags.TryGetValue("--password", out var password);
        await Migrator.MigrateAsync(database);
        await using var db = database.CreateContext();
        var tokens = new TokenService(db, new Scheduling.ClockSource(SystemClock.Instance), PasswordHashing.Default);
        var account = await tokens.CreateOperatorAsync(email, password);
        var (keyId, secret) = await tokens.GenerateAuthKeyAsync(account.OperatorId);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { operatorId = account.OperatorId, email = account.Email, authKeyId = keyId, authKey = secret }, Json.Options));
        return 0;
    }

    private static async Task<int> ImportSimsAsync(DatabaseOptions database, Dictionary<string, string> flags, TextWriter stdout, TextWriter stderr)
    {
        if (!flags.TryGetValue("--file", out var file))
        {
            throw new UsageException("--file is required");
        }

        RejectUnknown(flags, "--file");
        if (!File.Exists(file))
        {
            throw new UsageException($"no such file: {file}");
        }

        await Migrator.MigrateAsync(database);
        using var reader = new StreamReader(file, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var result = await SimImport.RunAsync(database, reader, SystemClock.Instance);
        await stdout.WriteLineAsync(SimImport.Format(result));
        if (result.Rejected.Count > 0)
        {
            await stderr.WriteLineAsync($"{result.Rejected.Count} row(s) rejected; fix them and import the file again (imported rows are skipped).");
            return 1;
        }

        return 0;
    }

    private static void RejectUnknown(Dictionary<string, string> flags, params string[] allowed)
    {
        foreach (var flag in flags.Keys.Where(f => !allowed.Contains(f)))
        {
            throw new UsageException($"unknown option {flag}");
        }
    }

    /// <summary>The command line itself is wrong (exit code 2).</summary>
    private sealed class UsageException(string message) : Exception(message);
}
