using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simlane.Cli.Auth;
using Simlane.Cli.Spec;

namespace Simlane.Cli.Commands;

/// <summary>
/// Runs one API command: builds the body (from --body and the body flags), checks every required parameter
/// before any request, fills <c>operator_id</c> from the signed-in operator, sends, follows pages with
/// --fetch-all and prints the answer.
/// </summary>
public sealed class OperationRunner(CliConsole console, Session session)
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<int> RunAsync(ApiOperation operation, IReadOnlyDictionary<string, List<string>> values, CancellationToken cancellationToken)
    {
        string? Last(string flag) => values.TryGetValue(flag, out var list) ? list[^1] : null;

        var body = BuildBody(operation, values, Last("body"));
        CheckRequired(operation, values, body);

        var operatorIdMissing = operation.Parameters.Any(p => p.Name == "operator_id" && p.In == ParameterLocation.Path && Last(p.Flag) is null);
        if (operation.RequiresAuth)
        {
            var source = session.Source;
            if (source == CredentialSource.Profile)
            {
                session.RequireProfile();
            }
            else if (source == CredentialSource.ApiKeyAndToken && operatorIdMissing)
            {
                throw new UsageException("required parameter '--operator-id' is not specified");
            }
        }
        else if (operatorIdMissing)
        {
            throw new UsageException("required parameter '--operator-id' is not specified");
        }

        string? operatorId = null;
        if (operatorIdMissing)
        {
            operatorId = (await session.CredentialsAsync(false, cancellationToken)).OperatorId
                ?? throw new UsageException("required parameter '--operator-id' is not specified");
        }

        var path = new StringBuilder("/v1");
        path.Append(PathOf(operation, values, operatorId));
        var query = QueryOf(operation, values);
        var bodyText = body?.ToJsonString(Compact);
        var fetchAll = Last("fetch-all") == "true" && operation.Pagination is not null;
        var jsonl = Last("jsonl") == "true";

        if (!fetchAll)
        {
            var response = await SendAsync(operation, path + QueryString(query), bodyText, cancellationToken);
            if (operation.OperationId == "logout")
            {
                session.ForgetToken();
            }

            await PrintAsync(response.Body, jsonl);
            return CliApp.Success;
        }

        var items = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var response = await SendAsync(operation, path + QueryString(query), bodyText, cancellationToken);
            if (Parse(response.Body) is not JsonArray page)
            {
                await PrintAsync(response.Body, jsonl); // not a list after all: print what came
                return CliApp.Success;
            }

            foreach (var item in page.ToList())
            {
                page.Remove(item);
                items.Add(item);
            }

            var next = response.Header(operation.Pagination!.ResponseHeader);
            if (next is null || !seen.Add(next))
            {
                break;
            }

            query.RemoveAll(q => q.Key == operation.Pagination.RequestParameter);
            query.Add(new(operation.Pagination.RequestParameter, next));
        }

        await PrintAsync(items.ToJsonString(Compact), jsonl);
        return CliApp.Success;
    }

    private async Task<ApiResponse> SendAsync(ApiOperation operation, string pathAndQuery, string? body, CancellationToken cancellationToken)
    {
        var response = await session.SendAsync(operation.Method, pathAndQuery, body, operation.RequiresAuth, cancellationToken);
        return (int)response.Status >= 400 ? throw new CommandFailedException(Session.Describe(response)) : response;
    }

    private JsonNode? BuildBody(ApiOperation operation, IReadOnlyDictionary<string, List<string>> values, string? bodyArgument)
    {
        if (operation.Body is null)
        {
            return null;
        }

        JsonNode? body = null;
        if (bodyArgument is not null)
        {
            var text = ReadBodyArgument(bodyArgument);
            try
            {
                body = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
            }
            catch (JsonException e)
            {
                throw new UsageException($"invalid json format specified for `--body` parameter: {e.Message}");
            }
        }

        var fields = operation.Parameters.Where(p => p.In == ParameterLocation.Body && values.ContainsKey(p.Flag)).ToList();
        if (fields.Count > 0 || (body is null && !operation.Body.IsArray))
        {
            body ??= new JsonObject();
            if (body is not JsonObject target)
            {
                throw new UsageException($"`--body` must be a JSON object to combine it with --{fields[0].Flag}");
            }

            foreach (var field in fields)
            {
                target[field.Name] = TypedValue(field, values[field.Flag]);
            }
        }

        return body;
    }

    private string ReadBodyArgument(string argument)
    {
        if (argument == "-")
        {
            return console.In.ReadToEnd();
        }

        if (!argument.StartsWith('@'))
        {
            return argument;
        }

        var file = argument[1..];
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read the body file '{file}': {e.Message}");
        }
    }

    private static void CheckRequired(ApiOperation operation, IReadOnlyDictionary<string, List<string>> values, JsonNode? body)
    {
        foreach (var parameter in operation.Parameters.Where(p => p.Required))
        {
            if (parameter.In == ParameterLocation.Body)
            {
                if (body is JsonObject fields && fields.ContainsKey(parameter.Name))
                {
                    continue;
                }

                throw new UsageException($"required parameter '{parameter.Name}' in body (or command line option '{parameter.Flag}') is not specified");
            }

            if (!values.ContainsKey(parameter.Flag) && parameter.Name != "operator_id")
            {
                throw new UsageException($"required parameter '--{parameter.Flag}' is not specified");
            }
        }

        if (operation.Body is { } spec)
        {
            if (spec.Required && spec.IsArray && body is null)
            {
                throw new UsageException("required parameter '--body' is not specified");
            }

            foreach (var field in spec.RequiredFields.Where(f => operation.Parameters.All(p => p.In != ParameterLocation.Body || p.Name != f)))
            {
                if (body is not JsonObject fields || !fields.ContainsKey(field))
                {
                    throw new UsageException($"required parameter '{field}' in body is not specified");
                }
            }
        }

        // Typed flags are checked here too, so that a bad integer fails before any request.
        foreach (var parameter in operation.Parameters.Where(p => p.In != ParameterLocation.Body && values.ContainsKey(p.Flag)))
        {
            _ = TypedValue(parameter, values[parameter.Flag]);
        }
    }

    private static string PathOf(ApiOperation operation, IReadOnlyDictionary<string, List<string>> values, string? operatorId)
    {
        var path = operation.Path;
        foreach (var parameter in operation.Parameters.Where(p => p.In == ParameterLocation.Path))
        {
            var value = values.TryGetValue(parameter.Flag, out var list) ? list[^1] : parameter.Name == "operator_id" ? operatorId : null;
            path = path.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(value ?? ""), StringComparison.Ordinal);
        }

        return path;
    }

    private static List<KeyValuePair<string, string>> QueryOf(ApiOperation operation, IReadOnlyDictionary<string, List<string>> values)
    {
        var query = new List<KeyValuePair<string, string>>();
        foreach (var parameter in operation.Parameters.Where(p => p.In == ParameterLocation.Query && values.ContainsKey(p.Flag)))
        {
            var given = values[parameter.Flag];
            var items = parameter.Kind == ValueKind.TextList
                ? given.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                : [given[^1]];
            query.AddRange(items.Select(v => KeyValuePair.Create(parameter.Name, v)));
        }

        return query;
    }

    private static string QueryString(List<KeyValuePair<string, string>> query) =>
        query.Count == 0 ? "" : "?" + string.Join('&', query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));

    private static JsonNode? TypedValue(ApiParameter parameter, List<string> given)
    {
        var value = given[^1];
        switch (parameter.Kind)
        {
            case ValueKind.WholeNumber:
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? JsonValue.Create(integer)
                    : throw new UsageException($"invalid argument \"{value}\" for \"--{parameter.Flag}\" flag: an integer is expected");
            case ValueKind.Number:
                return decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : throw new UsageException($"invalid argument \"{value}\" for \"--{parameter.Flag}\" flag: a number is expected");
            case ValueKind.Boolean:
                return JsonValue.Create(bool.Parse(value));
            case ValueKind.TextList:
                return new JsonArray([.. given.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(v => (JsonNode)JsonValue.Create(v))]);
            default:
                return JsonValue.Create(value);
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task PrintAsync(string body, bool jsonl)
    {
        if (body.Length == 0)
        {
            return;
        }

        var json = Parse(body);
        if (json is null)
        {
            await console.Out.WriteLineAsync(body);
        }
        else if (jsonl && json is JsonArray array)
        {
            foreach (var item in array)
            {
                await console.Out.WriteLineAsync(item?.ToJsonString(Compact) ?? "null");
            }
        }
        else
        {
            await console.Out.WriteLineAsync(json.ToJsonString(Pretty));
        }
    }
}
