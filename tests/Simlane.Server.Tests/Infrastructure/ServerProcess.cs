using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Simlane.TestSupport;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// The built simlane-server.dll (copied next to the test assembly) in its own process. The child binds port 0
/// and the address it reports ("Now listening on: …") is the one used: no port is picked before the child
/// binds it. Start-up waits for that line or the child's exit; the timeout only bounds a hung child.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<HttpClient> gatewayClients = [];
    private HttpClient http = null!;

    /// <summary>Environment that sets the packet gateway's key to <see cref="SimlaneFactory.GatewayKey"/>, for <see cref="GatewayClient"/>.</summary>
    public static IReadOnlyDictionary<string, string> WithGatewayKey { get; } = new Dictionary<string, string> { ["Simlane__GatewayKey"] = SimlaneFactory.GatewayKey };

    private ServerProcess(Process process)
    {
        this.process = process;
    }

    // Up to a quote too: with SIMLANE_LOG_FORMAT=json the line is a JSON object.
    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();

    /// <summary>
    /// Starts the server on <paramref name="connectionString"/>; <paramref name="environment"/> adds variables (e.g.
    /// <c>Simlane__Delivery__LeaseSeconds</c>), <paramref name="arguments"/> command-line flags (e.g. <c>--radius-client</c>).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "simlane-server.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is missing; the test project must reference the server project");
        const string url = "http://127.0.0.1:0";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--sandbox", "--database", connectionString, "--urls", url },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "SIMLANE_DATA", "SIMLANE_DATABASE", "SIMLANE_SANDBOX", "SIMLANE_COVERAGE", "ASPNETCORE_URLS", "SIMLANE_LOG_FORMAT" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in TestSettings.AsEnvironment().Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!);
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilListeningAsync();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>
    /// Starts a server that must refuse to start (a bad setting in <paramref name="environment"/>) and answers everything
    /// it wrote before it exited: what an operator sees. Tests of start-up refusals use a real process: an in-process
    /// test host that fails at start can surface its own disposal instead of the start error (a race in the test host).
    /// </summary>
    public static async Task<string> StartFailureAsync(string connectionString, IReadOnlyDictionary<string, string> environment)
    {
        var failure = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync(connectionString, environment));
        failure.Message.ShouldStartWith("The server exited with");
        return failure.Message;
    }

    /// <summary><paramref name="settings"/> (configuration keys such as <c>Simlane:Radius:Bind</c>) as environment variables.</summary>
    public static Dictionary<string, string> AsEnvironment(IReadOnlyDictionary<string, string> settings) =>
        settings.ToDictionary(x => x.Key.Replace(":", "__", StringComparison.Ordinal), x => x.Value);

    public ApiClient Client() => new(http);

    /// <summary>A client that calls as the packet gateway (a server started with <see cref="WithGatewayKey"/>); disposed with the server.</summary>
    public ApiClient GatewayClient()
    {
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", SimlaneFactory.GatewayKey);
        gatewayClients.Add(client);
        return new ApiClient(client);
    }

    /// <summary>Where the server listens (http://127.0.0.1:PORT), for tests that speak raw HTTP over TCP.</summary>
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>SIGKILL: no shutdown hooks, no flushing beyond what each acknowledged request already did.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000).ShouldBeTrue("the killed server did not exit");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
        http?.Dispose();
        gatewayClients.ForEach(c => c.Dispose());
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(listening.Task, exited);
        if (first != listening.Task)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} during start-up:\n{Output()}");
            }

            Kill();
            throw new TimeoutException($"The server did not report its address within {StartupTimeout.TotalMinutes} min:\n{Output()}");
        }

        http = new HttpClient(new ContractValidatingHandler { InnerHandler = new HttpClientHandler() }) { BaseAddress = listening.Task.Result, Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} during start-up:\n{Output()}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow machine; try again until the deadline
            }

            await Task.Delay(100);
        }

        Kill();
        throw new TimeoutException($"The server did not answer /healthz within {StartupTimeout.TotalMinutes} min:\n{Output()}");
    }

    /// <summary>Everything the child wrote to stdout and stderr so far.</summary>
    public string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
