using System.Reflection;
using Simlane.Cli.Auth;
using Simlane.Cli.Commands;

namespace Simlane.Cli;

/// <summary>Parses the command line, runs the command, and maps failures to soracom-cli-style messages and exit codes.</summary>
public static class CliApp
{
    public const int Success = 0;

    /// <summary>Credentials, network or the server's error answer.</summary>
    public const int Failed = 1;

    /// <summary>A usage mistake caught before any request.</summary>
    public const int UsageError = 2;

    public static string Version { get; } = (typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ParsedCommand? parsed = null;
        try
        {
            parsed = Parse(args);
            return await ExecuteAsync(parsed, console, cancellationToken);
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync("Error: " + e.Message);
            var node = parsed?.Node ?? (e.Data["node"] as CommandNode);
            if (node is not null)
            {
                await console.Error.WriteLineAsync($"Run '{node.FullName} --help' for usage.");
            }

            return UsageError;
        }
        catch (CommandFailedException e)
        {
            await console.Error.WriteLineAsync("Error: " + e.Message);
            return Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // e.g. a profile directory that cannot be written
            await console.Error.WriteLineAsync("Error: " + e.Message);
            return Failed;
        }
    }

    public static ParsedCommand Parse(IReadOnlyList<string> args)
    {
        var node = CommandTree.Root;
        var globals = new GlobalOptions();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positional = new List<string>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? arg[2..] : arg[2..equals];
                var inline = equals < 0 ? null : arg[(equals + 1)..];
                var spec = node.Flag(name);
                var global = spec is null ? CommandTree.GlobalFlags.FirstOrDefault(f => f.Name == name) : null;
                if (spec is null && global is null)
                {
                    throw WithNode(new UsageException($"unknown flag: --{name}"), node);
                }

                var flag = spec ?? global!;
                string value;
                if (flag.TakesValue)
                {
                    if (inline is not null)
                    {
                        value = inline;
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw WithNode(new UsageException($"flag needs an argument: --{name}"), node);
                    }
                }
                else
                {
                    value = inline ?? "true";
                    if (!bool.TryParse(value, out _))
                    {
                        throw WithNode(new UsageException($"invalid argument \"{value}\" for \"--{name}\" flag: true or false is expected"), node);
                    }
                }

                if (spec is not null)
                {
                    if (!values.TryGetValue(name, out var list))
                    {
                        values[name] = list = [];
                    }

                    list.Add(value);
                }
                else
                {
                    SetGlobal(globals, name, value);
                }

                continue;
            }

            if (arg.Length > 1 && arg[0] == '-' && arg != "-")
            {
                throw WithNode(new UsageException($"unknown shorthand flag: '{arg[1]}' in {arg}"), node);
            }

            if (!node.IsRunnable && positional.Count == 0)
            {
                if (!node.Children.TryGetValue(arg, out var child))
                {
                    throw WithNode(new UsageException($"unknown command \"{arg}\" for \"{node.FullName}\""), node);
                }

                node = child;
                continue;
            }

            positional.Add(arg);
        }

        return new ParsedCommand(node, globals, values, positional, help);
    }

    private static async Task<int> ExecuteAsync(ParsedCommand parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var node = parsed.Node;
        if (node.Builtin == BuiltinCommand.Help && !parsed.Help)
        {
            var target = CommandTree.Root;
            foreach (var word in parsed.Positional)
            {
                target = target.Children.TryGetValue(word, out var child)
                    ? child
                    : throw WithNode(new UsageException($"unknown command \"{word}\" for \"{target.FullName}\""), target);
            }

            await console.Out.WriteAsync(HelpText.For(target));
            return Success;
        }

        if (parsed.Help || !node.IsRunnable)
        {
            await console.Out.WriteAsync(HelpText.For(node));
            return Success;
        }

        if (parsed.Positional.Count > 0)
        {
            throw new UsageException($"unexpected arguments passed => [{string.Join(' ', parsed.Positional)}]");
        }

        switch (node.Builtin)
        {
            case BuiltinCommand.Version:
                await console.Out.WriteLineAsync($"simlane {Version} (SORACOM API spec {Spec.ApiSpec.SpecVersion})");
                return Success;
            case BuiltinCommand.CompletionBash:
                await console.Out.WriteAsync(BashCompletion.Script());
                return Success;
            case BuiltinCommand.Configure:
                return await ConfigureCommand.RunAsync(parsed, console);
        }

        using var session = new Session(console, parsed.Globals);
        return await new OperationRunner(console, session).RunAsync(node.Operation!, parsed.Values, cancellationToken);
    }

    private static void SetGlobal(GlobalOptions globals, string name, string value)
    {
        switch (name)
        {
            case "profile":
                globals.Profile = ProfileStore.ValidName(value);
                break;
            case "api-key":
                globals.ApiKey = value;
                break;
            case "api-token":
                globals.ApiToken = value;
                break;
            case "auth-key-id":
                globals.AuthKeyId = value;
                break;
            case "auth-key":
                globals.AuthKey = value;
                break;
        }
    }

    private static UsageException WithNode(UsageException e, CommandNode node)
    {
        e.Data["node"] = node;
        return e;
    }
}

/// <summary>The command found, the global options, each command flag's values in order, and stray words.</summary>
public sealed record ParsedCommand(CommandNode Node, GlobalOptions Globals, IReadOnlyDictionary<string, List<string>> Values, IReadOnlyList<string> Positional, bool Help)
{
    public string? Last(string flag) => Values.TryGetValue(flag, out var list) ? list[^1] : null;
}
