using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// Checks every response an HTTP test sees: a 2xx body must validate against its operation's response
/// schema in spec/; every error body must be SORACOM's <c>{"code","message"}</c>; a 500 is always
/// a failure. A violation fails the test that made the call.
/// </summary>
public sealed partial class ContractValidatingHandler : DelegatingHandler
{
    [GeneratedRegex("^[A-Z]{3}[0-9]{4}$")]
    private static partial Regex ErrorCodePattern();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        var where = $"{request.Method} {request.RequestUri?.AbsolutePath} -> {status}";

        if (status >= 500)
        {
            throw new ContractViolationException($"{where}: server error {body}");
        }

        if (status >= 400)
        {
            CheckErrorBody(where, body);
            return response;
        }

        var path = request.RequestUri!.AbsolutePath;
        var operation = Spec.Find(request.Method.Method, path);
        if (operation is null)
        {
            return response;
        }

        if (status == 204 && body.Length > 0)
        {
            throw new ContractViolationException($"{where}: 204 must have no body, got {body}");
        }

        var schema = Spec.ResponseSchema(operation, status);
        if (schema is null || body.Length == 0)
        {
            return response;
        }

        var wrapped = new JsonObject { ["body"] = JsonNode.Parse(body) }.ToJsonString();
        var errors = schema.Validate(wrapped);
        if (errors.Count > 0)
        {
            throw new ContractViolationException(
                $"{where} ({operation.OperationId}) does not match the spec:\n  " + string.Join("\n  ", errors.Select(e => $"{e.Path}: {e.Kind} {e.Property}")) + $"\nBody: {body}");
        }

        return response;
    }

    private static void CheckErrorBody(string where, string body)
    {
        JsonObject? error;
        try
        {
            error = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            error = null;
        }

        if (error is null || error.Count != 2 || error["code"]?.GetValue<string>() is not { } code || !ErrorCodePattern().IsMatch(code)
            || string.IsNullOrWhiteSpace(error["message"]?.GetValue<string>()))
        {
            throw new ContractViolationException($"{where}: error body must be {{\"code\":\"XXX0000\",\"message\":\"...\"}}, got '{body}'");
        }
    }
}

public sealed class ContractViolationException(string message) : Exception(message);
