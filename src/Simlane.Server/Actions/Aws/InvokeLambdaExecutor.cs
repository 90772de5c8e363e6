using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Core.Handlers;
using Simlane.Server.Credentials;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;

namespace Simlane.Server.Actions.Aws;

/// <summary>
/// InvokeAWSLambdaAction: one SigV4-signed Lambda Invoke request
/// (<c>POST {endpoint}/2015-03-31/functions/{functionName}/invocations</c>) with the JSON payload
/// <c>{"parameter1": …, …, "parameter5": …}</c> (only the parameters the action sets), using the access key of
/// the operator's <c>aws-credentials</c> set named by <c>credentialsId</c>. docs/actions.md, "AWS Lambda",
/// describes the request, what is signed and how each answer is classified.
/// </summary>
public sealed partial class InvokeLambdaExecutor(
    IHttpClientFactory httpClients,
    CredentialStore credentials,
    IOptions<LambdaOptions> options,
    IOptions<SimlaneOptions> simlane,
    ClockSource realClock,
    ILogger<InvokeLambdaExecutor> logger) : IActionExecutor
{
    /// <summary>The <see cref="IHttpClientFactory"/> client (no redirects, timeout <see cref="LambdaOptions.Timeout"/>).</summary>
    public const string HttpClientName = "simlane-lambda";

    public const string DeliveryIdHeader = "X-Simlane-Delivery-Id";
    public const string Service = "lambda";
    public const string ContentType = "application/json";

    /// <summary>The longest part of an answer body quoted in an error.</summary>
    private const int MaxQuotedBody = 1024;

    public IReadOnlyCollection<string> ActionTypes { get; } = [ActionCatalogue.InvokeAwsLambda];

    [GeneratedRegex(@"^[A-Za-z0-9_.:$-]{1,170}$")]
    private static partial Regex FunctionNamePattern();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    /// <summary>The region a Lambda endpoint's host names (<c>lambda.ap-northeast-1.amazonaws.com</c>), or null.</summary>
    public static string? RegionOf(string host)
    {
        var labels = host.ToLowerInvariant().Split('.');
        for (var i = 0; i + 1 < labels.Length; i++)
        {
            if (labels[i] == Service && RegionPattern().IsMatch(labels[i + 1]))
            {
                return labels[i + 1];
            }
        }

        return null;
    }

    /// <summary>The JSON payload sent to the function: the set parameters among parameter1..5, in that order.</summary>
    public static JsonObject Payload(JsonObject properties)
    {
        var payload = new JsonObject();
        for (var i = 1; i <= 5; i++)
        {
            var name = "parameter" + i.ToString(CultureInfo.InvariantCulture);
            if (Text(properties, name) is { } value)
            {
                payload[name] = value;
            }
        }

        return payload;
    }

    public async Task<ActionOutcome> ExecuteAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var settings = options.Value;
        var properties = attempt.Properties;

        var endpointText = Text(properties, "endpoint");
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            return ActionOutcome.Permanent("endpoint is not set");
        }

        if (!Uri.TryCreate(endpointText.Trim(), UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
            || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            return ActionOutcome.Permanent("endpoint must be an http(s) URL without query, such as https://lambda.ap-northeast-1.amazonaws.com");
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && !simlane.Value.Sandbox)
        {
            return ActionOutcome.Permanent("endpoint must use https (plain http is allowed in sandbox mode only)");
        }

        var functionName = Text(properties, "functionName")?.Trim();
        if (string.IsNullOrEmpty(functionName) || !FunctionNamePattern().IsMatch(functionName))
        {
            return ActionOutcome.Permanent("functionName must be a Lambda function name, ARN or name:qualifier (letters, digits, '-', '_', '.', ':', '$'; at most 170)");
        }

        var keys = await KeysAsync(attempt, properties, cancellationToken);
        if (keys.Error is not null)
        {
            return ActionOutcome.Permanent(keys.Error);
        }

        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        var uri = new Uri($"{endpoint.GetLeftPart(UriPartial.Authority)}{basePath}/2015-03-31/functions/{SigV4.UriEncode(functionName)}/invocations");
        var region = RegionOf(endpoint.Host) ?? settings.DefaultRegion;
        var body = Encoding.UTF8.GetBytes(Payload(properties).ToJsonString());
        var signedHeaders = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", ContentType),
            new("X-Amz-Invocation-Type", settings.InvocationType),
            new(DeliveryIdHeader, attempt.DeliveryKey),
        };

        // AWS refuses a signature more than 15 minutes off its clock: sign with real time, never the sandbox clock.
        var signature = SigV4.Sign("POST", uri, signedHeaders, body, keys.AccessKeyId!, keys.SecretAccessKey!, region, Service, realClock.Inner.GetUtcNow());

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signature.AmzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", settings.InvocationType);
        request.Headers.TryAddWithoutValidation(DeliveryIdHeader, attempt.DeliveryKey);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        var outcome = await SendAsync(request, settings, cancellationToken);
        LogOutcome(logger, attempt.DeliveryKey, functionName, uri.Host, outcome.Kind, outcome.HttpStatus, outcome.Error);
        return outcome;
    }

    private async Task<ActionOutcome> SendAsync(HttpRequestMessage request, LambdaOptions settings, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);

        // The whole exchange, answer body included, within the timeout (the client's own timeout is a backstop).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionOutcome.Transient($"Lambda did not answer within {settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException e) when (ActionHttp.FindInner<AddressRefusedException>(e) is { } refused)
        {
            return ActionOutcome.Permanent($"refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return ActionOutcome.Transient($"cannot reach the Lambda endpoint: {e.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            string text;
            try
            {
                text = await ReadQuotedAsync(response, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ActionOutcome.Transient($"Lambda did not finish its answer within {settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", status);
            }
            catch (HttpRequestException e)
            {
                return ActionOutcome.Transient($"the Lambda answer broke off: {e.Message}", status);
            }

            if (status is >= 200 and < 300)
            {
                return response.Headers.TryGetValues("X-Amz-Function-Error", out var kinds)
                    ? ActionOutcome.Permanent($"function error ({string.Join(",", kinds)}): {Describe(text)}", status)
                    : ActionOutcome.Success(status);
            }

            var what = Describe(text);
            if (response.Headers.TryGetValues("x-amzn-ErrorType", out var errorTypes))
            {
                what = $"{errorTypes.First().Split(':')[0]}: {what}";
            }

            var message = $"Lambda answered HTTP {status.ToString(CultureInfo.InvariantCulture)}: {what}";
            return status == (int)HttpStatusCode.TooManyRequests || status >= 500
                ? ActionOutcome.Transient(message, status, RetryAfter(response))
                : ActionOutcome.Permanent(message, status);
        }
    }

    private async Task<(string? AccessKeyId, string? SecretAccessKey, string? Error)> KeysAsync(ActionAttempt attempt, JsonObject properties, CancellationToken cancellationToken)
    {
        var credentialsId = Text(properties, "credentialsId");
        if (string.IsNullOrWhiteSpace(credentialsId))
        {
            // The deprecated inline key pair, for actions stored before credential sets existed.
            var accessKey = Text(properties, "accessKey");
            var secretKey = Text(properties, "secretAccessKey");
            return string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey)
                ? (null, null, "credentialsId is not set")
                : (accessKey, secretKey, null);
        }

        StoredCredentials? stored;
        try
        {
            stored = await credentials.LoadAsync(attempt.OperatorId, credentialsId, cancellationToken);
        }
        catch (CredentialsUnreadableException e)
        {
            return (null, null, e.Message);
        }

        if (stored is null)
        {
            return (null, null, $"no credential set '{credentialsId}' (create it with POST /v1/credentials/{credentialsId})");
        }

        if (stored.Type != CredentialTypes.Aws)
        {
            return (null, null, $"credential set '{credentialsId}' is {stored.Type}; InvokeAWSLambdaAction needs {CredentialTypes.Aws}");
        }

        var id = stored.Field("accessKeyId");
        var secret = stored.Field("secretAccessKey");
        return string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret)
            ? (null, null, $"credential set '{credentialsId}' has no access key")
            : (id, secret, null);
    }

    /// <summary>At most <see cref="MaxQuotedBody"/> characters of the answer, for the error message.</summary>
    private static async Task<string> ReadQuotedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxQuotedBody * 4];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>Lambda's error bodies: <c>{"errorType","errorMessage"}</c> from a function, <c>{"Type"|"__type","message"|"Message"}</c> from the service.</summary>
    private static string Describe(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject error)
            {
                var type = Text(error, "errorType") ?? Text(error, "__type") ?? Text(error, "Type");
                var message = Text(error, "errorMessage") ?? Text(error, "message") ?? Text(error, "Message");
                if (message is not null)
                {
                    return Shorten(type is null ? message : $"{type}: {message}");
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: quote the text.
        }

        return body.Length == 0 ? "(no body)" : Shorten(body);
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxQuotedBody ? flat : flat[..MaxQuotedBody] + "…";
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? Max(date - realClock.Inner.GetUtcNow(), TimeSpan.Zero) : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda invoke for delivery {DeliveryKey}: function {FunctionName} at {Host}: {Outcome} (HTTP {Status}) {Error}")]
    private static partial void LogOutcome(ILogger logger, string deliveryKey, string functionName, string host, ActionOutcomeKind outcome, int? status, string? error);
}
