using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// The contract: spec/soracom-api.subset.yaml and the sandbox spec, turned into JSON Schemas per
/// (method, path, status). Schemas are made strict (no properties the spec does not name, as generated
/// clients read them), with only the exceptions docs/decisions.md lists under "Contract-test exceptions".
/// </summary>
public static class Spec
{
    private static readonly Lazy<IReadOnlyList<SpecOperation>> LazyOperations = new(Load);
    private static readonly Dictionary<string, JsonSchema> SchemaCache = [];

    public static IReadOnlyList<SpecOperation> Operations => LazyOperations.Value;

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simlane.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Simlane.slnx)");
        }
    }

    /// <summary>The repository's spec/ folder: SORACOM's spec subset, its additions and the sandbox spec (vendored once).</summary>
    public static string SpecDirectory => Path.Combine(RepositoryRoot, "spec");

    /// <summary>The operation for a request, or null when the path is not part of the SORACOM contract.</summary>
    public static SpecOperation? Find(string method, string path)
    {
        var candidates = Operations.Where(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase) && o.Pattern.IsMatch(path)).ToList();
        return candidates.OrderBy(o => o.ParameterCount).FirstOrDefault();
    }

    public static JsonSchema? ResponseSchema(SpecOperation operation, int status)
    {
        var key = $"{operation.Method} {operation.Path} {status}";
        lock (SchemaCache)
        {
            if (SchemaCache.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        var response = operation.Node["responses"]?[status.ToString(CultureInfo.InvariantCulture)];
        var schemaNode = response?["content"]?["application/json"]?["schema"];
        if (schemaNode is null)
        {
            return null;
        }

        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["body"] = schemaNode.DeepClone() },
            ["definitions"] = operation.Components["schemas"]?.DeepClone(),
        };

        // NJsonSchema resolves references into "definitions"; OpenAPI keeps them under components/schemas.
        var json = root.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var schema = JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();
        lock (SchemaCache)
        {
            SchemaCache[key] = schema;
        }

        return schema;
    }

    private static IReadOnlyList<SpecOperation> Load()
    {
        var operations = new List<SpecOperation>();
        foreach (var file in new[] { "soracom-api.subset.yaml", "soracom-api.additions.yaml", "soracom-sandbox-api.yaml" })
        {
            var document = ToJson(LoadYaml(Path.Combine(SpecDirectory, file)))!.AsObject();
            var components = document["components"]!.AsObject();
            ApplyErrata(components);
            Strict(components);
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    var parameterCount = Regex.Count(path, @"\{[^}]+\}");
                    var pattern = new Regex("^/v1" + Regex.Replace(Regex.Escape(path).Replace(@"\{", "{", StringComparison.Ordinal), @"\{[^}]+\}", "[^/]+") + "$");
                    operations.Add(new SpecOperation(method.ToUpperInvariant(), path, operation!["operationId"]?.GetValue<string>() ?? "", pattern, parameterCount, operation.AsObject(), components));
                }
            }
        }

        return operations;
    }

    /// <summary>
    /// The only departures from SORACOM's schemas, each listed with its source in docs/decisions.md
    /// ("Contract-test exceptions"); add none without a row there:
    /// - X1 EventHandlerModel: SORACOM's event-handler guide shows the live API answering the unused targets
    ///   and a missing description as null, which the schema does not mark nullable (decisions.md S26).
    /// - X2 RuleConfigProperty.runOnceAmongTarget: declared a string whose enum lists the booleans true and
    ///   false, which no value can satisfy; the enum is read as the strings "true"/"false", the type wins.
    /// - X3 SessionEvent.dynamicAuthorization: a Simlane extension property (the RFC 5176 request a RADIUS session
    ///   event owed its NAS, docs/radius.md, or the Re-Auth-Request a Diameter Gy session's end owed its peer,
    ///   docs/diameter.md); optional, so SORACOM's clients never see it for gateway-API sessions.
    /// </summary>
    private static void ApplyErrata(JsonObject components)
    {
        var schemas = components["schemas"]?.AsObject();
        if (schemas is null)
        {
            return;
        }

        // X2: the declared type (string) wins over the enum's JSON booleans.
        if (schemas["RuleConfigProperty"]?["properties"]?["runOnceAmongTarget"] is JsonObject runOnce)
        {
            runOnce["enum"] = new JsonArray("true", "false");
        }

        // X3: Simlane's dynamicAuthorization extension on session events (RADIUS and Diameter Gy sessions only).
        if (schemas["SessionEvent"]?["properties"] is JsonObject sessionEvent)
        {
            sessionEvent["dynamicAuthorization"] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("type", "state", "attempts", "createdTime", "deadline"),
                ["properties"] = new JsonObject
                {
                    ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Disconnect", "CoA", "ReAuth") },
                    ["state"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("pending", "acked", "nak", "failed", "superseded") },
                    ["attempts"] = new JsonObject { ["type"] = "integer" },
                    ["speedClass"] = new JsonObject { ["type"] = "string" },
                    ["errorCause"] = new JsonObject { ["type"] = "integer" },
                    ["errorCauseName"] = new JsonObject { ["type"] = "string" },
                    ["lastError"] = new JsonObject { ["type"] = "string" },
                    ["createdTime"] = new JsonObject { ["type"] = "integer" },
                    ["nextAttemptTime"] = new JsonObject { ["type"] = "integer" },
                    ["completedTime"] = new JsonObject { ["type"] = "integer" },
                    ["deadline"] = new JsonObject { ["type"] = "integer" },
                },
            };
        }

        // X1: SORACOM lists unused targets and a missing description as null.
        if (schemas["EventHandlerModel"]?["properties"] is JsonObject handler)
        {
            foreach (var name in new[] { "description", "targetImsi", "targetSimId", "targetGroupId", "targetOperatorId" })
            {
                if (handler[name] is JsonObject property)
                {
                    property["nullable"] = true;
                }
            }
        }
    }

    /// <summary>Objects with named properties admit no others, and OpenAPI's nullable becomes a JSON Schema null type.</summary>
    private static void Strict(JsonObject components)
    {
        foreach (var (_, schema) in components["schemas"]?.AsObject() ?? [])
        {
            StrictSchema(schema);
        }
    }

    /// <summary>Walks schema positions only (never a properties map itself, whose keys are names).</summary>
    private static void StrictSchema(JsonNode? node)
    {
        if (node is not JsonObject schema || schema.ContainsKey("$ref"))
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            if (!schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }

            foreach (var (_, property) in properties)
            {
                StrictSchema(property);
            }
        }

        if (schema["nullable"] is JsonValue nullable && nullable.GetValue<bool>() && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
        }

        StrictSchema(schema["items"]);
        StrictSchema(schema["additionalProperties"]);
        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var part in schema[keyword] as JsonArray ?? [])
            {
                StrictSchema(part);
            }
        }
    }

    internal static YamlNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "null" or "~" or "")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && value.Any(char.IsDigit) && !value.Contains(':', StringComparison.Ordinal))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}

public sealed record SpecOperation(string Method, string Path, string OperationId, Regex Pattern, int ParameterCount, JsonObject Node, JsonObject Components);
