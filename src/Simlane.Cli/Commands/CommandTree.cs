using Simlane.Cli.Spec;

namespace Simlane.Cli.Commands;

/// <summary>A flag of a command. API flags carry the spec parameter they fill.</summary>
public sealed record FlagSpec(string Name, bool TakesValue, string Description, bool Required = false, ApiParameter? Parameter = null)
{
    public string Usage => "--" + Name + (TakesValue ? " " + (Parameter?.Kind switch
    {
        ValueKind.WholeNumber => "int",
        ValueKind.Number => "number",
        ValueKind.TextList => "strings",
        _ => "string",
    }) : "");
}

public enum BuiltinCommand
{
    None,
    Configure,
    CompletionBash,
    Version,
    Help,
}

/// <summary>A node of the command tree: a group (sims, stats air) or a runnable command (an operation or a built-in).</summary>
public sealed class CommandNode(string name, CommandNode? parent)
{
    public string Name { get; } = name;

    public CommandNode? Parent { get; } = parent;

    public SortedDictionary<string, CommandNode> Children { get; } = new(StringComparer.Ordinal);

    public ApiOperation? Operation { get; set; }

    public BuiltinCommand Builtin { get; set; }

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public IReadOnlyList<FlagSpec> Flags { get; set; } = [];

    public bool IsRunnable => Operation is not null || Builtin != BuiltinCommand.None;

    public string FullName => Parent is null ? Name : Parent.FullName + " " + Name;

    public string ShortHelp => Summary ?? Operation?.Summary ?? $"Commands for {FullName[(CommandTree.RootName.Length + 1)..]}";

    public FlagSpec? Flag(string name) => Flags.FirstOrDefault(f => f.Name == name);

    public CommandNode Child(string child)
    {
        if (!Children.TryGetValue(child, out var node))
        {
            node = new CommandNode(child, this);
            Children[child] = node;
        }

        return node;
    }

    public IEnumerable<CommandNode> Descendants() => Children.Values.SelectMany(c => c.Descendants().Prepend(c));
}

/// <summary>The whole tree: one command per operation of <see cref="ApiSpec"/>, and the built-ins.</summary>
public static class CommandTree
{
    public const string RootName = "simlane";

    public static readonly IReadOnlyList<FlagSpec> GlobalFlags =
    [
        new("profile", true, "Profile to use (default \"default\"); profiles are written by `simlane configure`"),
        new("api-key", true, "API key to use as is (with --api-token); no sign-in"),
        new("api-token", true, "API token to use as is (with --api-key); no sign-in"),
        new("auth-key-id", true, "Auth key ID to sign in with (with --auth-key), instead of the profile's credentials"),
        new("auth-key", true, "Auth key secret to sign in with (with --auth-key-id)"),
        new("help", false, "Help for the command"),
    ];

    private static readonly Lazy<CommandNode> LazyRoot = new(Build);

    public static CommandNode Root => LazyRoot.Value;

    private static CommandNode Build()
    {
        var root = new CommandNode(RootName, null)
        {
            Summary = "simlane: SORACOM-compatible command line for Simlane servers",
            Description = "Every command calls one operation of the Simlane API; names and flags follow soracom-cli.\n"
                + "Credentials come from --api-key/--api-token, --auth-key-id/--auth-key or a profile (see `simlane configure`);\n"
                + "the server from SIMLANE_ENDPOINT, the profile's endpoint, or " + Auth.Session.DefaultEndpoint + ".",
        };

        foreach (var operation in ApiSpec.Operations)
        {
            var node = root;
            foreach (var word in operation.Command)
            {
                node = node.Child(word);
            }

            if (node.Operation is not null)
            {
                throw new InvalidOperationException($"Two operations are named '{operation.CommandLine}': {node.Operation.OperationId} and {operation.OperationId}");
            }

            node.Operation = operation;
            node.Flags = FlagsOf(operation);
        }

        var configure = root.Child("configure");
        configure.Builtin = BuiltinCommand.Configure;
        configure.Summary = "Writes a profile: the endpoint and the credentials (asks for what is missing when stdin is a terminal)";
        configure.Description = "The profile (--profile, else \"default\") is written to ~/.simlane/<profile>.json (or $SIMLANE_PROFILE_DIR) with\n"
            + "owner-only permissions. Give an auth key (--auth-key-id, --auth-key) or a root account (--email, --password).";
        configure.Flags =
        [
            new("endpoint", true, "Server URL, e.g. http://localhost:5000"),
            new("auth-key-id", true, "Auth key ID"),
            new("auth-key", true, "Auth key secret"),
            new("email", true, "Email of the operator's root account"),
            new("password", true, "Password of the operator's root account"),
            new("token-timeout-seconds", true, "Lifetime of the API tokens obtained with this profile (180 to 172800; default 86400)"),
        ];

        var completion = root.Child("completion");
        completion.Summary = "Prints a shell completion script";
        var bash = completion.Child("bash");
        bash.Builtin = BuiltinCommand.CompletionBash;
        bash.Summary = "Prints the bash completion script: source <(simlane completion bash)";

        var version = root.Child("version");
        version.Builtin = BuiltinCommand.Version;
        version.Summary = "Prints the version of simlane and of the API spec it was built from";

        var help = root.Child("help");
        help.Builtin = BuiltinCommand.Help;
        help.Summary = "Help about any command: simlane help sims terminate";
        return root;
    }

    private static List<FlagSpec> FlagsOf(ApiOperation operation)
    {
        var flags = new List<FlagSpec>();
        foreach (var parameter in operation.Parameters)
        {
            var description = parameter.Description;
            if (parameter.Enum.Count > 0)
            {
                description += $" One of: {string.Join(", ", parameter.Enum)}.";
            }

            if (parameter.Name == "operator_id" && parameter.In == ParameterLocation.Path)
            {
                description += " Default: the signed-in operator.";
            }

            var required = parameter.Required && !(parameter.Name == "operator_id" && parameter.In == ParameterLocation.Path);
            flags.Add(new FlagSpec(parameter.Flag, parameter.TakesValue, description.Trim(), required, parameter));
        }

        if (operation.Body is not null)
        {
            flags.Add(new FlagSpec("body", true, "JSON for the request body: inline, @file to read a file, or - to read stdin", operation.Body is { Required: true, IsArray: true }));
        }

        if (operation.Pagination is not null)
        {
            flags.Add(new FlagSpec("fetch-all", false, "Follow x-soracom-next-key and print every page as one array"));
        }

        if (operation.ArrayResponse || operation.Pagination is not null)
        {
            flags.Add(new FlagSpec("jsonl", false, "Print an array as JSON Lines (one compact item per line)"));
        }

        return flags;
    }
}
