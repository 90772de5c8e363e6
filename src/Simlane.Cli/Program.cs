namespace Simlane.Cli;

/// <summary>The process entry point (not top-level statements, so that no global <c>Program</c> clashes with the server's in tests).</summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.FromSystem());
}
