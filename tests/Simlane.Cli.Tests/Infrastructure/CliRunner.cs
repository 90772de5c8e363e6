using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Simlane.Cli.Tests.Infrastructure;

/// <summary>What one run of the CLI printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("stdout is JSON null");

    public JsonArray Array => (JsonArray)Json;

    public string Str(string field) => Json[field]?.GetValue<string>() ?? throw new InvalidOperationException($"no '{field}' in {Out}");

    /// <summary>Asserts success and returns the run.</summary>
    public CliRun ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"stderr: {Error}\nstdout: {Out}");
        Error.ShouldBeEmpty();
        return this;
    }

    /// <summary>Asserts a failure with the exit code and a message on stderr, nothing on stdout.</summary>
    public CliRun ShouldFail(int exitCode, string message)
    {
        ExitCode.ShouldBe(exitCode, $"stderr: {Error}\nstdout: {Out}");
        Error.ShouldContain(message, Case.Sensitive);
        Out.ShouldBeEmpty();
        return this;
    }
}

/// <summary>
/// Runs the CLI in-process as a user would from a shell: its own profile directory (SIMLANE_PROFILE_DIR) and
/// home, SIMLANE_ENDPOINT pointing at the test server (unless a test removes it), a clock the test can move,
/// and a handler that records every HTTP request the CLI sends, over real sockets.
/// </summary>
public sealed class CliRunner : IDisposable
{
    private readonly RecordingHandler handler = new();

    public CliRunner(CliServer server)
    {
        Server = server;
        Home = Path.Combine(Path.GetTempPath(), "simlane-cli-tests", "home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        ProfileDirectory = Path.Combine(Home, "profiles");
        Environment["SIMLANE_ENDPOINT"] = server.Endpoint;
        Environment["SIMLANE_PROFILE_DIR"] = ProfileDirectory;
    }

    public CliServer Server { get; }

    public string Home { get; }

    public string ProfileDirectory { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The CLI's clock (token expiry); starts at a fixed instant.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>"METHOD /path?query" of every request sent, in order.</summary>
    public IReadOnlyList<string> Requests => handler.Requests;

    public void ClearRequests() => handler.Clear();

    public Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync(null, interactive: false, args);

    public async Task<CliRun> RunWithInputAsync(string? stdin, bool interactive, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? "");
        var console = new CliConsole
        {
            In = input,
            Out = output,
            Error = error,
            Environment = new Dictionary<string, string>(Environment),
            HomeDirectory = Home,
            IsInteractive = interactive,
            Clock = Clock,
            HttpHandler = handler,
        };
        var exitCode = await CliApp.RunAsync(args, console);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A new sandbox operator with the given email, signed up through the CLI itself.</summary>
    public async Task<string> SignUpAsync(string email, string password = "p@ssw0rd-cli-test")
    {
        var init = (await RunAsync("sandbox", "init", "--email", email, "--password", password, "--auth-key-id", "keyId-prod", "--auth-key", "secret-prod")).ShouldSucceed();
        return init.Str("operatorId");
    }

    /// <summary>Signs up an operator and writes it as the default profile (email and password).</summary>
    public async Task<string> SignUpAndConfigureAsync(string? email = null, string profile = "default")
    {
        email ??= $"cli-{Guid.NewGuid():N}@example.com";
        var operatorId = await SignUpAsync(email);
        (await RunAsync("configure", "--profile", profile, "--email", email, "--password", "p@ssw0rd-cli-test")).ShouldSucceed();
        return operatorId;
    }

    /// <summary>A sandbox SIM registered to the signed-in operator: (IMSI, SIM ID).</summary>
    public async Task<(string Imsi, string SimId)> NewSimAsync(params string[] credentials)
    {
        var created = (await RunAsync([.. credentials, "sandbox", "subscribers", "create"])).ShouldSucceed();
        var imsi = created.Str("imsi");
        var registered = (await RunAsync([.. credentials, "subscribers", "register", "--imsi", imsi, "--registration-secret", created.Str("registrationSecret")])).ShouldSucceed();
        return (imsi, registered.Str("simId"));
    }

    public void Dispose()
    {
        handler.Dispose();
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }

    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<string> requests = [];

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (requests)
                {
                    return [.. requests];
                }
            }
        }

        public void Clear()
        {
            lock (requests)
            {
                requests.Clear();
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requests)
            {
                requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
