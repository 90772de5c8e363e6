using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// "A restart of the server loses nothing that the API acknowledged": the real server process is killed
/// (no graceful shutdown) right after its answers, restarted on the same database, and every change it
/// acknowledged must be there.
/// </summary>
public abstract class RestartTests(DatabaseKind kind) : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Kill_ThenRestart_KeepsEveryAcknowledgedChange()
    {
        ApiClient op;
        string active, suspended, terminated, tagged, keyId, keySecret, inventoryImsi, inventorySecret;
        using (var first = await ServerProcess.StartAsync(database.ConnectionString))
        {
            op = await first.Client().SignUpAsync();
            active = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{active}/activate")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{active}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);

            suspended = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{suspended}/activate")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{suspended}/suspend")).ShouldBe(HttpStatusCode.OK);

            terminated = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{terminated}/enable_termination")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{terminated}/terminate")).ShouldBe(HttpStatusCode.OK);

            tagged = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PutAsync($"/v1/sims/{tagged}/tags", new[] { new { tagName = "name", tagValue = "meter-7" }, new { tagName = "site", tagValue = "Kyoto" } }))
                .ShouldBe(HttpStatusCode.OK);
            (await op.DeleteAsync($"/v1/sims/{tagged}/tags/site")).ShouldBe(HttpStatusCode.NoContent);

            var key = (await op.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys")).ShouldBe(HttpStatusCode.Created);
            (keyId, keySecret) = (key.Str("authKeyId"), key.Str("authKey"));
            var inventory = await op.CreateSandboxSubscriberAsync();
            (inventoryImsi, inventorySecret) = (inventory.Str("imsi"), inventory.Str("registrationSecret"));

            first.Kill();
        }

        using var second = await ServerProcess.StartAsync(database.ConnectionString);
        var again = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);

        var sim = (await again.GetAsync($"/v1/sims/{active}")).ShouldBe(HttpStatusCode.OK);
        sim.Str("status").ShouldBe("active");
        sim.Str("speedClass").ShouldBe("s1.fast");
        (await again.GetAsync($"/v1/sims/{suspended}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("suspended");
        (await again.GetAsync($"/v1/sims/{suspended}/statuses/history")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBeGreaterThanOrEqualTo(2);
        var gone = (await again.GetAsync($"/v1/sims/{terminated}")).ShouldBe(HttpStatusCode.OK);
        gone.Str("status").ShouldBe("terminated");
        gone.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        var tags = (await again.GetAsync($"/v1/sims/{tagged}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!.AsObject();
        tags["name"]!.GetValue<string>().ShouldBe("meter-7");
        tags.ContainsKey("site").ShouldBeFalse();

        (await second.Client().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);
        (await second.Client().PostAsync("/v1/auth", new { authKeyId = keyId, authKey = keySecret })).ShouldBe(HttpStatusCode.OK).Str("operatorId").ShouldBe(op.OperatorId);
        (await again.PostAsync($"/v1/subscribers/{inventoryImsi}/register", new { registrationSecret = inventorySecret })).ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>The built simlane-server.dll (copied next to the test assembly) in its own process.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly HttpClient http;

        private ServerProcess(Process process, Uri baseAddress)
        {
            this.process = process;
            http = new HttpClient(new ContractValidatingHandler { InnerHandler = new HttpClientHandler() }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        }

        public static async Task<ServerProcess> StartAsync(string connectionString)
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

            var server = new ServerProcess(Process.Start(start)!, new Uri(url));
            server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
            server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            await server.WaitUntilHealthyAsync();
            return server;
        }

        public ApiClient Client() => new(http);

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
}

public sealed class RestartTests_Sqlite() : RestartTests(DatabaseKind.Sqlite);

public sealed class RestartTests_Postgres() : RestartTests(DatabaseKind.Postgres);
