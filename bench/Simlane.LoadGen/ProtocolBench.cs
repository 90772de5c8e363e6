using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Simlane.Storage;

namespace Simlane.LoadGen;

/// <summary>
/// The arguments of a protocol subcommand (<c>radius</c>, <c>diameter</c>): <c>--name value</c> pairs and bare flags;
/// an unknown name, a missing value or a number out of range is an <see cref="ArgumentException"/> for the user.
/// </summary>
internal sealed class SubcommandArgs
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    public static SubcommandArgs Parse(string[] args, IReadOnlyCollection<string> valueNames, IReadOnlyCollection<string>? flagNames = null)
    {
        var parsed = new SubcommandArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (flagNames?.Contains(args[i]) == true)
            {
                parsed.flags.Add(args[i]);
            }
            else if (valueNames.Contains(args[i]) && i + 1 < args.Length)
            {
                parsed.values[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException(valueNames.Contains(args[i]) ? $"{args[i]} needs a value" : $"Unknown argument {args[i]}");
            }
        }

        return parsed;
    }

    public string? String(string name) => values.GetValueOrDefault(name);

    public bool Flag(string name) => flags.Contains(name);

    public int Int(string name, int fallback, int min = 0, int max = int.MaxValue)
    {
        if (!values.TryGetValue(name, out var v))
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min:N0} to {max:N0}, not '{v}'");
    }
}

/// <summary>
/// The Simlane server a protocol benchmark measures: a number of active SIMs seeded straight into a fresh
/// SQLite file (or the fresh database <c>--database</c> names), the Release <c>simlane-server</c> (or <c>--server-dll</c>)
/// started on it with HTTP on 127.0.0.1 and the protocol's own flags, healthy. Disposing kills the server and removes the
/// database (its -wal and -shm too).
/// </summary>
internal sealed class SeededServer : IAsyncDisposable
{
    private readonly FreshDatabase database;

    private SeededServer(FreshDatabase database, Process process)
    {
        this.database = database;
        Process = process;
    }

    public Process Process { get; }

    public static async Task<SeededServer> StartAsync(
        string name, int sims, string? database, string? serverDll, int httpPort, IEnumerable<string> serverArguments, CancellationToken cancellationToken)
    {
        var fresh = await FreshDatabase.CreateAsync(database ?? Path.Combine(Path.GetTempPath(), $"simlane-{name}-{Environment.ProcessId}.db"));
        Process? process = null;
        try
        {
            var seeding = Stopwatch.StartNew();
            await Seeder.SeedAsync(DatabaseOptions.Parse(fresh.Value), sims, "OPLOADGEN00");
            Console.WriteLine($"seeded {sims:N0} active SIMs into {fresh.Describe()} in {seeding.Elapsed.TotalSeconds:F1} s");
            cancellationToken.ThrowIfCancellationRequested();
            var options = new LoadGenOptions(sims, fresh.Value, null, httpPort, 1, 1, 1, 0, true, serverDll, null, null, 0, 0, "simlane");
            process = ServerHost.Start(options, fresh.Value, serverArguments);
            await ServerHost.WaitHealthyAsync(new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}"), process).WaitAsync(cancellationToken);
            return new SeededServer(fresh, process);
        }
        catch
        {
            await StopAsync(process);
            await fresh.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Process);
        await database.DisposeAsync();
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }
}

/// <summary>What the protocol benchmarks share about the machine: its clock, its load, a process's CPU time, Ctrl+C.</summary>
internal static class BenchMachine
{
    /// <summary>
    /// The machine's clock, for the in-process ceilings (a separate program: the server it stands beside runs on it too).
    /// </summary>
#pragma warning disable RS0030
    public static TimeProvider Clock => TimeProvider.System;
#pragma warning restore RS0030

    public static string LoadLine() =>
        $"loadavg {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}, {Environment.ProcessorCount} cores";

    /// <summary>User plus system CPU seconds of process <paramref name="pid"/> so far (Linux /proc), or null.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A token cancelled by Ctrl+C or SIGTERM instead of ending the process, so that the run can clean up.</summary>
    public static Interruption OnInterrupt() => new();

    internal sealed class Interruption : IDisposable
    {
        private readonly CancellationTokenSource source = new();
        private readonly PosixSignalRegistration[] registrations;

        public Interruption()
        {
            registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
        }

        public CancellationToken Token => source.Token;

        private void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal}: stopping, then removing the database and the server");
            source.Cancel();
        }

        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }

            source.Dispose();
        }
    }
}
