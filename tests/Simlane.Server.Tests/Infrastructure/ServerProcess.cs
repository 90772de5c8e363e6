using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>The built simlane-server.dll (copied next to the test assembly) in its own process.</summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly HttpClient http;

    private ServerProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        http = new HttpClient(new ContractValidatingHandler { InnerHandler = new HttpClientHandler() }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts the server on <paramref name="connectionString"/>; <paramref name="environment"/> adds variables (e.g. <c>Simlane__Delivery__LeaseSeconds</c>).</summary>
    public static async Task<ServerProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "simlane-server.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is missing; the test project must reference the server project");
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--sandbox", "--database", connectionString, "--urls", url },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var variable in new[] { "SIMLANE_DATA", "SIMLANE_DATABASE", "SIMLANE_SANDBOX", "SIMLANE_COVERAGE", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["SIMLANE_RATE_LIMITS"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!, new Uri(url));
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    public ApiClient Client() => new(http);

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
        http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
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
        throw new TimeoutException($"The server did not answer /healthz within {StartupTimeout.TotalSeconds} s:\n{Output()}");
    }

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
