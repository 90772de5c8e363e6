using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simlane.Cli.Auth;

/// <summary>The global flags: which profile, or credentials given on the command line.</summary>
public sealed class GlobalOptions
{
    public string? Profile { get; set; }

    public string? ApiKey { get; set; }

    public string? ApiToken { get; set; }

    public string? AuthKeyId { get; set; }

    public string? AuthKey { get; set; }
}

public enum CredentialSource
{
    ApiKeyAndToken,
    AuthKeyFlags,
    Profile,
}

public sealed record Credentials(string ApiKey, string Token, string? OperatorId);

/// <summary>An answer from the server.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

/// <summary>
/// Resolves the endpoint and the credentials with soracom-cli's precedence, signs in, caches tokens per profile
/// and sends requests. Endpoint: <c>SIMLANE_ENDPOINT</c>, then the profile's <c>endpoint</c>, then
/// <see cref="DefaultEndpoint"/>. Credentials: <c>--api-key</c>/<c>--api-token</c>, then
/// <c>--auth-key-id</c>/<c>--auth-key</c>, then the profile (<c>--profile</c>, else <c>default</c>).
/// </summary>
public sealed class Session : IDisposable
{
    public const string EndpointVariable = "SIMLANE_ENDPOINT";
    public const string DefaultEndpoint = "http://localhost:5000";

    /// <summary>A cached token this close to its expiry is not used: it could expire in flight.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(60);
    private const int DefaultTokenTimeoutSeconds = 86400;

    private readonly CliConsole console;
    private readonly GlobalOptions options;
    private readonly ProfileStore store;
    private readonly HttpClient http;
    private readonly Lazy<(string Name, Profile? Value, Exception? Error)> profile;
    private Credentials? credentials;

    public Session(CliConsole console, GlobalOptions options)
    {
        this.console = console;
        this.options = options;
        store = new ProfileStore(console);
        http = console.HttpHandler is null ? new HttpClient() : new HttpClient(console.HttpHandler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(120);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("simlane-cli", CliApp.Version));
        profile = new(LoadProfile);
    }

    public string ProfileName => options.Profile ?? ProfileStore.DefaultProfile;

    public string Endpoint
    {
        get
        {
            var endpoint = console.Variable(EndpointVariable) ?? SafeProfile()?.Endpoint ?? DefaultEndpoint;
            endpoint = endpoint.TrimEnd('/');
            return endpoint.EndsWith("/v1", StringComparison.Ordinal) ? endpoint[..^3] : endpoint;
        }
    }

    /// <summary>Which source will supply credentials, decided without any request (usage errors surface here).</summary>
    public CredentialSource Source
    {
        get
        {
            if (options.ApiKey is not null || options.ApiToken is not null)
            {
                return options.ApiKey is not null && options.ApiToken is not null
                    ? CredentialSource.ApiKeyAndToken
                    : throw new UsageException("both --api-key and --api-token must be specified");
            }

            if (options.AuthKeyId is not null || options.AuthKey is not null)
            {
                return options.AuthKeyId is not null && options.AuthKey is not null
                    ? CredentialSource.AuthKeyFlags
                    : throw new UsageException("both --auth-key-id and --auth-key must be specified");
            }

            return CredentialSource.Profile;
        }
    }

    /// <summary>The profile's sign-in data, or a failure saying how to supply credentials.</summary>
    public Profile RequireProfile()
    {
        var (name, value, error) = profile.Value;
        if (error is not null)
        {
            throw error;
        }

        if (value is null)
        {
            throw options.Profile is null
                ? new CommandFailedException("no credentials: run `simlane configure`, or pass --auth-key-id and --auth-key, or --api-key and --api-token")
                : new CommandFailedException($"profile '{name}' not found ({store.PathOf(name)}); run `simlane configure --profile {name}`");
        }

        if (Identity(value) is null)
        {
            throw new CommandFailedException($"profile '{name}' has no credentials (authKeyId and authKey, or email and password); run `simlane configure --profile {name}`");
        }

        return value;
    }

    /// <summary>Signs in if needed. <paramref name="refresh"/> drops a cached token (after a 401).</summary>
    public async Task<Credentials> CredentialsAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (credentials is not null && !refresh)
        {
            return credentials;
        }

        switch (Source)
        {
            case CredentialSource.ApiKeyAndToken:
                return credentials = new Credentials(options.ApiKey!, options.ApiToken!, null);
            case CredentialSource.AuthKeyFlags:
                return credentials = await SignInAsync(new JsonObject { ["authKeyId"] = options.AuthKeyId, ["authKey"] = options.AuthKey }, DefaultTokenTimeoutSeconds, cancellationToken);
        }

        var value = RequireProfile();
        var identity = Identity(value)!;
        var endpoint = Endpoint;
        var now = console.Clock.GetUtcNow();
        if (!refresh && store.LoadToken(ProfileName) is { } cached && cached.Endpoint == endpoint && cached.Identity == identity
            && DateTimeOffset.FromUnixTimeMilliseconds(cached.ExpiresAt) - ExpiryMargin > now)
        {
            return credentials = new Credentials(cached.ApiKey, cached.Token, cached.OperatorId);
        }

        var timeout = value.TokenTimeoutSeconds ?? DefaultTokenTimeoutSeconds;
        var request = value.AuthKeyId is not null
            ? new JsonObject { ["authKeyId"] = value.AuthKeyId, ["authKey"] = value.AuthKey }
            : new JsonObject { ["email"] = value.Email, ["password"] = value.Password };
        credentials = await SignInAsync(request, timeout, cancellationToken);
        store.SaveToken(ProfileName, new CachedToken
        {
            Endpoint = endpoint,
            Identity = identity,
            ApiKey = credentials.ApiKey,
            Token = credentials.Token,
            OperatorId = credentials.OperatorId,
            ExpiresAt = now.AddSeconds(timeout).ToUnixTimeMilliseconds(),
        });
        return credentials;
    }

    /// <summary>Sends one request; with credentials when <paramref name="authenticate"/>, retried once with a fresh token after a 401.</summary>
    public async Task<ApiResponse> SendAsync(string method, string pathAndQuery, string? body, bool authenticate, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, pathAndQuery, body, authenticate ? await CredentialsAsync(false, cancellationToken) : null, cancellationToken);
        if (authenticate && response.Status == HttpStatusCode.Unauthorized && Source == CredentialSource.Profile)
        {
            response = await SendOnceAsync(method, pathAndQuery, body, await CredentialsAsync(true, cancellationToken), cancellationToken);
        }

        return response;
    }

    /// <summary>After <c>logout</c>: the profile's cached token is revoked, so it is dropped.</summary>
    public void ForgetToken()
    {
        if (Source == CredentialSource.Profile)
        {
            store.DeleteToken(ProfileName);
        }

        credentials = null;
    }

    public void Dispose() => http.Dispose();

    /// <summary>The server's <c>{"code","message"}</c> as one line; other bodies as they are.</summary>
    public static string Describe(ApiResponse response)
    {
        var status = $"HTTP {(int)response.Status}";
        try
        {
            if (JsonNode.Parse(response.Body) is JsonObject error && error["code"] is JsonValue code)
            {
                return $"{code}: {error["message"]?.ToString() ?? ""} ({status})";
            }
        }
        catch (JsonException)
        {
            // not JSON: shown as it is
        }

        var text = response.Body.Trim();
        return text.Length == 0 ? status : $"{status}: {text}";
    }

    private static string? Identity(Profile value) =>
        !string.IsNullOrEmpty(value.AuthKeyId) && !string.IsNullOrEmpty(value.AuthKey) ? "authKeyId:" + value.AuthKeyId
        : !string.IsNullOrEmpty(value.Email) && !string.IsNullOrEmpty(value.Password) ? "email:" + value.Email
        : null;

    private (string Name, Profile? Value, Exception? Error) LoadProfile()
    {
        var name = ProfileName;
        try
        {
            return (name, store.Load(name), null);
        }
        catch (Exception e) when (e is CommandFailedException or UsageException)
        {
            return (name, null, e);
        }
    }

    /// <summary>The profile for its endpoint only: a missing or unreadable one falls back to the default, as in soracom-cli.</summary>
    private Profile? SafeProfile() => profile.Value.Value;

    private async Task<Credentials> SignInAsync(JsonObject request, int timeoutSeconds, CancellationToken cancellationToken)
    {
        request["tokenTimeoutSeconds"] = timeoutSeconds;
        var response = await SendOnceAsync("POST", "/v1/auth", request.ToJsonString(), null, cancellationToken);
        if ((int)response.Status >= 400)
        {
            throw new CommandFailedException("authentication failed: " + Describe(response));
        }

        try
        {
            var answer = JsonNode.Parse(response.Body)!;
            return new Credentials(answer["apiKey"]!.ToString(), answer["token"]!.ToString(), answer["operatorId"]?.ToString());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException)
        {
            throw new CommandFailedException($"authentication failed: unexpected answer from {Endpoint}/v1/auth");
        }
    }

    private async Task<ApiResponse> SendOnceAsync(string method, string pathAndQuery, string? body, Credentials? with, CancellationToken cancellationToken)
    {
        var url = Endpoint + pathAndQuery;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandFailedException($"invalid endpoint '{Endpoint}': expected an http:// or https:// URL");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (with is not null)
        {
            request.Headers.Add("X-Soracom-API-Key", with.ApiKey);
            request.Headers.Add("X-Soracom-Token", with.Token);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
            return new ApiResponse(response.StatusCode, text, headers);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailedException($"cannot reach {Endpoint}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"no answer from {Endpoint} within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
