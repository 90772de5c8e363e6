using System.Text;
using Simlane.Cli.Spec;

namespace Simlane.Cli.Commands;

/// <summary>cobra-style help: the summary from the spec, usage, subcommands or flags, global flags.</summary>
public static class HelpText
{
    public static string For(CommandNode node)
    {
        var text = new StringBuilder();
        text.AppendLine(node.ShortHelp);
        var description = node.Description ?? node.Operation?.Description;
        if (!string.IsNullOrWhiteSpace(description) && description != node.ShortHelp)
        {
            text.AppendLine().AppendLine(description.Trim());
        }

        if (node.Operation is { } operation)
        {
            text.AppendLine().AppendLine($"API: {operation.Method} /v1{operation.Path} ({operation.OperationId})");
        }

        text.AppendLine().AppendLine("Usage:");
        if (node.IsRunnable)
        {
            text.AppendLine($"  {node.FullName}{(node.Flags.Count > 0 ? " [flags]" : "")}{(node.Builtin == BuiltinCommand.Help ? " [command]" : "")}");
        }

        if (node.Children.Count > 0)
        {
            text.AppendLine($"  {node.FullName} [command]");
            text.AppendLine().AppendLine("Available Commands:");
            var width = node.Children.Keys.Max(k => k.Length);
            foreach (var child in node.Children.Values)
            {
                text.AppendLine($"  {child.Name.PadRight(width)}   {child.ShortHelp}");
            }
        }

        if (node.Flags.Count > 0)
        {
            text.AppendLine().AppendLine("Flags:");
            AppendFlags(text, node.Flags);
        }

        text.AppendLine().AppendLine("Global Flags:");
        AppendFlags(text, CommandTree.GlobalFlags.Where(g => node.Flag(g.Name) is null).ToList());
        if (node.Children.Count > 0)
        {
            text.AppendLine().AppendLine($"Use \"{node.FullName} [command] --help\" for more information about a command.");
        }

        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, IReadOnlyList<FlagSpec> flags)
    {
        var width = flags.Max(f => f.Usage.Length);
        foreach (var flag in flags)
        {
            var description = flag.Required ? "(required) " + flag.Description : flag.Description;
            if (flag.Parameter?.In == ParameterLocation.Body)
            {
                description = $"{description} (body: {flag.Parameter.Name})".Trim();
            }

            text.AppendLine($"  {(flag.Name == "help" ? "-h, " : "    ")}{flag.Usage.PadRight(width)}   {description}");
        }
    }
}
