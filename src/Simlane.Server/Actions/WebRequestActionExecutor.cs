using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Core.Handlers;

namespace Simlane.Server.Actions;

/// <summary>
/// <c>ExecuteWebRequestAction</c>: one HTTP request to <c>url</c> with <c>httpMethod</c>, <c>headers</c>,
/// and for POST/PUT <c>body</c> as <c>contentType</c>. Every request carries <c>X-Simlane-Delivery-Id</c>,
/// <c>X-Simlane-Timestamp</c> and <c>X-Simlane-Signature</c> (docs/actions.md). 2xx succeeds; network
/// errors, timeouts, 408, 429 and 5xx are transient (Retry-After is passed on); redirects (not followed),
/// other 4xx, bad properties and refused addresses are permanent.
/// </summary>
public sealed partial class WebRequestActionExecutor(
    IHttpClientFactory httpClients,
    WebhookSigningSecrets secrets,
    IOptions<ActionOptions> options,
    ILogger<WebRequestActionExecutor> logger) : IActionExecutor
{
    public const string DeliveryIdHeader = "X-Simlane-Delivery-Id";
    public const string TimestampHeader = "X-Simlane-Timestamp";
    public const string SignatureHeader = "X-Simlane-Signature";
    public const string UserAgent = "Simlane-EventHandler/1";

    /// <summary>Headers the client manages itself; a value for them in <c>headers</c> is ignored.</summary>
    private static readonly HashSet<string> IgnoredHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection",
        "Upgrade", "TE", "Trailer", "Expect", DeliveryIdHeader, TimestampHeader, SignatureHeader,
    };

    private readonly TimeSpan timeout = TimeSpan.FromSeconds(options.Value.WebRequestTimeoutSeconds);

    public IReadOnlyCollection<string> ActionTypes { get; } = [ActionCatalogue.ExecuteWebRequest];

    public async Task<ActionOutcome> ExecuteAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        var outcome = await SendAsync(attempt, cancellationToken);
        if (outcome.Kind != ActionOutcomeKind.Succeeded)
        {
            LogFailed(logger, attempt.DeliveryKey, attempt.Attempt, outcome.Kind, outcome.Error);
        }

        return outcome;
    }

    private async Task<ActionOutcome> SendAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.ActionType != ActionCatalogue.ExecuteWebRequest)
        {
            return ActionOutcome.Permanent($"not a web request action: {attempt.ActionType}");
        }

        var url = Text(attempt.Properties, "url")?.Trim();
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return ActionOutcome.Permanent($"url '{url}' is not an absolute URL");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return ActionOutcome.Permanent($"url '{url}': only http and https URLs are allowed, not {uri.Scheme}");
        }

        var methodName = Text(attempt.Properties, "httpMethod")?.Trim().ToUpperInvariant();
        if (methodName is null || !ActionCatalogue.HttpMethods.Contains(methodName))
        {
            return ActionOutcome.Permanent($"httpMethod '{methodName}' is not one of {string.Join(", ", ActionCatalogue.HttpMethods)}");
        }

        if (!TryReadHeaders(attempt.Properties["headers"], out var headers, out var headerError))
        {
            return ActionOutcome.Permanent(headerError);
        }

        var method = new HttpMethod(methodName);
        var hasBody = methodName is "POST" or "PUT";
        var body = hasBody ? Encoding.UTF8.GetBytes(Text(attempt.Properties, "body") ?? "") : [];
        using var request = new HttpRequestMessage(method, uri);
        if (hasBody)
        {
            var contentType = Text(attempt.Properties, "contentType")?.Trim();
            MediaTypeHeaderValue? mediaType = null;
            if (!string.IsNullOrEmpty(contentType) && !MediaTypeHeaderValue.TryParse(contentType, out mediaType))
            {
                return ActionOutcome.Permanent($"contentType '{contentType}' is not a media type");
            }

            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = mediaType;
        }

        foreach (var (name, value) in headers)
        {
            if (IgnoredHeaders.Contains(name))
            {
                continue;
            }

            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return ActionOutcome.Permanent($"header '{name}': a value must not contain line breaks");
            }

            var added = name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                ? request.Content is null || request.Content.Headers.TryAddWithoutValidation(name, value)
                : request.Headers.TryAddWithoutValidation(name, value);
            if (!added)
            {
                return ActionOutcome.Permanent($"header '{name}' is not a valid header name");
            }
        }

        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        }

        string? secret;
        try
        {
            secret = await secrets.GetOrCreateAsync(attempt.OperatorId, cancellationToken);
        }
        catch (CryptographicException)
        {
            return ActionOutcome.Permanent("the webhook signing secret cannot be decrypted (were the Data Protection keys replaced?); rotate it with POST /v1/operators/{operator_id}/webhook_secret");
        }

        if (secret is null)
        {
            return ActionOutcome.Permanent($"operator '{attempt.OperatorId}' does not exist");
        }

        var timestamp = attempt.Now / 1000;
        request.Headers.Add(DeliveryIdHeader, attempt.DeliveryKey);
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, WebhookSigningSecrets.Sign(secret, timestamp, body));

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var client = httpClients.CreateClient(ActionHttp.ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            return Interpret(response, attempt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return ActionOutcome.Transient($"{uri.Host}: no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (ActionHttp.FindInner<AddressRefusedException>(e) is { } refused)
        {
            return ActionOutcome.Permanent($"refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return ActionOutcome.Transient($"{uri.Host}: {Describe(e)}");
        }
    }

    private static ActionOutcome Interpret(HttpResponseMessage response, ActionAttempt attempt)
    {
        var status = (int)response.StatusCode;
        var text = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        return status switch
        {
            >= 200 and < 300 => ActionOutcome.Success(status),
            >= 300 and < 400 => ActionOutcome.Permanent($"{text}: redirects are not followed (Location: {response.Headers.Location})", status),
            408 or 429 or >= 500 => ActionOutcome.Transient(text, status, RetryAfter(response, attempt)),
            _ => ActionOutcome.Permanent(text, status),
        };
    }

    /// <summary>Retry-After as a delay: seconds as sent, or an HTTP date relative to the receiver's Date header (else our clock).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, ActionAttempt attempt)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var now = response.Headers.Date ?? DateTimeOffset.FromUnixTimeMilliseconds(attempt.Now);
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// <c>headers</c>: a JSON object, or a string holding one (SORACOM's examples send an escaped JSON string,
    /// sometimes several objects separated by commas, which are merged). Values may be strings, numbers or booleans.
    /// </summary>
    public static bool TryReadHeaders(JsonNode? node, out List<KeyValuePair<string, string>> headers, out string error)
    {
        headers = [];
        error = "headers must be a JSON object of names and values, or a string holding one";
        var parsed = node;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0)
            {
                return true;
            }

            try
            {
                parsed = JsonNode.Parse("[" + text + "]");
            }
            catch (JsonException)
            {
                return false;
            }
        }

        var parts = parsed switch
        {
            null => [],
            JsonObject o => [o],
            JsonArray a when a.All(p => p is JsonObject) => a.Select(p => (JsonObject)p!).ToList(),
            _ => null,
        };
        if (parts is null)
        {
            return false;
        }

        foreach (var (name, headerValue) in parts.SelectMany(p => p))
        {
            var text = headerValue is JsonValue v
                ? v.GetValueKind() switch
                {
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.Number => v.ToJsonString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                }
                : null;
            if (text is null || string.IsNullOrWhiteSpace(name))
            {
                error = $"headers: '{name}' must have a string value";
                return false;
            }

            headers.Add(new(name.Trim(), text));
        }

        return true;
    }

    private static string? Text(JsonObject properties, string name) =>
        properties[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;


    private static string Describe(HttpRequestException exception)
    {
        var inner = exception.InnerException;
        return inner is System.Net.Sockets.SocketException socket ? $"{exception.Message} ({socket.SocketErrorCode})" : exception.Message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web request delivery {DeliveryKey} (attempt {Attempt}) failed ({Kind}): {Error}")]
    private static partial void LogFailed(ILogger logger, string deliveryKey, int attempt, ActionOutcomeKind kind, string? error);
}
