using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Simlane.Cli.Spec;

public enum ParameterLocation
{
    Path,
    Query,
    Body,
}

public enum ValueKind
{
    Text,
    WholeNumber,
    Number,
    Boolean,
    TextList,
}

/// <summary>A flag of an API command: a path or query parameter, or a scalar field of the request body.</summary>
public sealed record ApiParameter(string Name, string Flag, ParameterLocation In, ValueKind Kind, bool Required, string Description, IReadOnlyList<string> Enum)
{
    public bool TakesValue => Kind != ValueKind.Boolean;
}

public sealed record ApiBody(bool Required, bool IsArray, IReadOnlyList<string> RequiredFields);

public sealed record ApiPagination(string RequestParameter, string ResponseHeader);

/// <summary>One API operation and the command it becomes (its <c>x-soracom-cli</c> name).</summary>
public sealed record ApiOperation(
    string OperationId,
    string Method,
    string Path,
    IReadOnlyList<string> Command,
    string Summary,
    string Description,
    IReadOnlyList<ApiParameter> Parameters,
    ApiBody? Body,
    ApiPagination? Pagination,
    bool RequiresAuth,
    bool ArrayResponse)
{
    public string CommandLine => string.Join(' ', Command);
}

/// <summary>
/// The command tree's source: SORACOM's spec, its additions and the sandbox spec (the repository's spec/ folder, embedded) and
/// Simlane's own operations (spec/simlane-extensions.yaml), less the SORACOM operations Simlane does not
/// implement. A test compares the result with the server's /openapi/v1.json.
/// </summary>
public static class ApiSpec
{
    public static readonly IReadOnlyList<string> Resources = ["spec/soracom-api.subset.yaml", "spec/soracom-api.additions.yaml", "spec/soracom-sandbox-api.yaml", "spec/simlane-extensions.yaml"];

    /// <summary>Operations of the spec subset that the server does not serve (yet): no command for them.</summary>
    public static readonly IReadOnlySet<string> NotImplemented = new HashSet<string>(StringComparer.Ordinal)
    {
        "sandboxCreateCoupon", "sandboxGetSignupToken", "sandboxShipOrder", "sandboxInsertBeamStats",
    };

    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];
    private static readonly Lazy<IReadOnlyList<ApiOperation>> LazyOperations = new(Load);
    private static readonly Lazy<string> LazyVersion = new(() => Info(Resources[0])["version"]?.ToString() ?? "unknown");

    public static IReadOnlyList<ApiOperation> Operations => LazyOperations.Value;

    /// <summary>The SORACOM spec's <c>info.version</c>, shown by <c>simlane version</c>.</summary>
    public static string SpecVersion => LazyVersion.Value;

    public static string ReadResource(string name)
    {
        using var stream = typeof(ApiSpec).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary><c>sim_id</c> → <c>sim-id</c>, <c>authKeyId</c> → <c>auth-key-id</c>, <c>yyyyMM</c> → <c>yyyy-mm</c>, <c>mfaOTPCode</c> → <c>mfa-otp-code</c>.</summary>
    public static string Kebab(string name)
    {
        var result = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or ' ' or '-')
            {
                if (result.Length > 0 && result[^1] != '-')
                {
                    result.Append('-');
                }

                continue;
            }

            if (char.IsUpper(c) && i > 0 && result.Length > 0 && result[^1] != '-')
            {
                var previousLower = char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]);
                var nextLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousLower || (char.IsUpper(name[i - 1]) && nextLower))
                {
                    result.Append('-');
                }
            }

            result.Append(char.ToLowerInvariant(c));
        }

        return result.ToString();
    }

    private static JsonObject Info(string resource) => (JsonObject)(YamlJson.Parse(ReadResource(resource))["info"] ?? new JsonObject());

    private static List<ApiOperation> Load()
    {
        var operations = new List<ApiOperation>();
        foreach (var resource in Resources)
        {
            var document = YamlJson.Parse(ReadResource(resource));
            var schemas = document["components"]?["schemas"] as JsonObject ?? [];
            foreach (var (path, item) in (JsonObject)document["paths"]!)
            {
                foreach (var method in Methods)
                {
                    if (item?[method] is JsonObject operation && operation["x-soracom-cli"] is JsonArray names && names.Count > 0)
                    {
                        var id = operation["operationId"]!.ToString();
                        if (!NotImplemented.Contains(id))
                        {
                            operations.Add(Build(id, method.ToUpperInvariant(), path, names[0]!.ToString(), operation, schemas));
                        }
                    }
                }
            }
        }

        return operations;
    }

    private static ApiOperation Build(string id, string method, string path, string command, JsonObject operation, JsonObject schemas)
    {
        var parameters = new List<ApiParameter>();
        foreach (var node in operation["parameters"] as JsonArray ?? [])
        {
            var parameter = (JsonObject)node!;
            var location = parameter["in"]?.ToString() switch
            {
                "path" => ParameterLocation.Path,
                "query" => ParameterLocation.Query,
                _ => (ParameterLocation?)null,
            };
            if (location is null)
            {
                continue;
            }

            var name = parameter["name"]!.ToString();
            var schema = parameter["schema"] as JsonObject ?? [];
            parameters.Add(new ApiParameter(name, Kebab(name), location.Value, KindOf(schema, schemas) ?? ValueKind.Text,
                location == ParameterLocation.Path || IsTrue(parameter["required"]), OneLine(parameter["description"]), EnumOf(schema)));
        }

        ApiBody? body = null;
        if (operation["requestBody"] is JsonObject requestBody)
        {
            var schema = Resolve(requestBody["content"]?["application/json"]?["schema"] as JsonObject, schemas) ?? [];
            var isArray = schema["type"]?.ToString() == "array";
            var required = (schema["required"] as JsonArray ?? []).Select(r => r!.ToString()).ToList();
            var taken = parameters.Select(p => p.Flag).ToHashSet(StringComparer.Ordinal);
            foreach (var (field, fieldNode) in schema["properties"] as JsonObject ?? [])
            {
                var fieldSchema = Resolve(fieldNode as JsonObject, schemas) ?? [];
                var kind = KindOf(fieldSchema, schemas);
                var flag = Kebab(field);
                if (kind is null || !taken.Add(flag))
                {
                    continue; // objects and arrays of objects go in --body only
                }

                parameters.Add(new ApiParameter(field, flag, ParameterLocation.Body, kind.Value, required.Contains(field),
                    OneLine(fieldSchema["description"] ?? (fieldNode as JsonObject)?["description"]), EnumOf(fieldSchema)));
            }

            body = new ApiBody(IsTrue(requestBody["required"]), isArray, required);
        }

        ApiPagination? pagination = null;
        if (operation["x-soracom-cli-pagination"] is JsonObject paging)
        {
            pagination = new ApiPagination(paging["request"]?["param"]?.ToString() ?? "last_evaluated_key", paging["response"]?["header"]?.ToString() ?? "x-soracom-next-key");
        }
        else if (method == "GET" && parameters.Any(p => p.Name == "last_evaluated_key"))
        {
            pagination = new ApiPagination("last_evaluated_key", "x-soracom-next-key");
        }

        var responseSchema = Resolve(operation["responses"]?["200"]?["content"]?["application/json"]?["schema"] as JsonObject, schemas);
        var arrayResponse = responseSchema?["type"]?.ToString() == "array";
        var requiresAuth = operation["security"] is JsonArray security && security.Count > 0;
        var summary = OneLine(operation["summary"]);
        return new ApiOperation(id, method, path, command.Split(' ', StringSplitOptions.RemoveEmptyEntries), summary,
            operation["description"]?.ToString().Trim() ?? summary, parameters, body, pagination, requiresAuth, arrayResponse);
    }

    private static ValueKind? KindOf(JsonObject schema, JsonObject schemas)
    {
        var resolved = Resolve(schema, schemas) ?? schema;
        return resolved["type"]?.ToString() switch
        {
            "string" => ValueKind.Text,
            "integer" => ValueKind.WholeNumber,
            "number" => ValueKind.Number,
            "boolean" => ValueKind.Boolean,
            "array" when (Resolve(resolved["items"] as JsonObject, schemas)?["type"]?.ToString()) == "string" => ValueKind.TextList,
            _ => null,
        };
    }

    private static JsonObject? Resolve(JsonObject? schema, JsonObject schemas)
    {
        for (var depth = 0; schema?["$ref"] is JsonNode reference && depth < 8; depth++)
        {
            schema = schemas[reference.ToString().Split('/')[^1]] as JsonObject;
        }

        return schema;
    }

    private static IReadOnlyList<string> EnumOf(JsonObject schema) => (schema["enum"] as JsonArray ?? []).Select(e => e!.ToString()).ToList();

    private static bool IsTrue(JsonNode? node) => string.Equals(node?.ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private static string OneLine(JsonNode? node)
    {
        var text = node?.ToString() ?? "";
        return string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

/// <summary>YAML to <see cref="JsonNode"/>, every scalar as a string (the CLI reads names, types and flags only).</summary>
public static class YamlJson
{
    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return (JsonObject)Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => null,
    };
}
