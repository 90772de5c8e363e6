using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// Builds src/Simlane.Server/OpenApi/operation-texts.json, the texts the server's OpenAPI document takes
/// from SORACOM's spec (the server never reads ../shared at run time): for every operation of
/// shared/spec/*.yaml and of the CLI's simlane-extensions.yaml, its summary, description, parameters,
/// request body and response descriptions, with the component schemas those reference. Operations are
/// keyed by operationId, so an endpoint added later picks its texts up by its name alone.
/// </summary>
public static class OpenApiTexts
{
    /// <summary>Setting this environment variable to 1 makes the drift tests rewrite the committed files.</summary>
    public const string UpdateVariable = "SIMLANE_UPDATE_OPENAPI";

    /// <summary>Runs the drift tests with <see cref="UpdateVariable"/> set: the texts first, then the document built with them.</summary>
    public const string RegenerateCommand = "scripts/update-openapi";

    public static string ResourcePath => Path.Combine(Spec.RepositoryRoot, "src", "Simlane.Server", "OpenApi", "operation-texts.json");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file's exact text, generated from the YAML sources.</summary>
    public static string Generate()
    {
        var sources = new (string File, bool Official)[]
        {
            (Path.Combine(Spec.SharedDirectory, "spec", "soracom-api.subset.yaml"), true),
            (Path.Combine(Spec.SharedDirectory, "spec", "soracom-api.additions.yaml"), true),
            (Path.Combine(Spec.SharedDirectory, "spec", "soracom-sandbox-api.yaml"), true),
            (Path.Combine(Spec.RepositoryRoot, "src", "Simlane.Cli", "spec", "simlane-extensions.yaml"), false),
        };

        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var securitySchemes = new JsonObject();
        foreach (var (file, official) in sources)
        {
            var document = Spec.ToJson(Spec.LoadYaml(file))!.AsObject();
            var components = document["components"]?["schemas"]?.AsObject() ?? [];
            var wanted = new Queue<string>(["APICallErrorMessage"]);
            foreach (var (name, scheme) in document["components"]?["securitySchemes"]?.AsObject() ?? [])
            {
                securitySchemes[name] ??= scheme!.DeepClone();
            }

            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, node) in item!.AsObject().Where(p => Methods.Contains(p.Key)))
                {
                    var operation = node!.AsObject();
                    var entry = new JsonObject { ["operationId"] = operation["operationId"]!.DeepClone() };
                    foreach (var field in new[] { "summary", "description", "parameters", "requestBody" })
                    {
                        if (operation[field] is { } value)
                        {
                            entry[field] = value.DeepClone();
                        }
                    }

                    // Only the descriptions: the success bodies come from Simlane's own types, the errors are {"code","message"}.
                    var responses = new JsonObject();
                    foreach (var (status, response) in operation["responses"]?.AsObject() ?? [])
                    {
                        responses[status] = new JsonObject { ["description"] = response?["description"]?.DeepClone() ?? "" };
                    }

                    entry["responses"] = responses;
                    entry["x-simlane-official"] = official;
                    var key = "/v1" + path;
                    if (!paths.TryGetValue(key, out var pathItem))
                    {
                        paths[key] = pathItem = [];
                    }

                    pathItem[method] = entry;
                    foreach (var reference in References(entry))
                    {
                        wanted.Enqueue(reference);
                    }
                }
            }

            // The component schemas those operations reference, transitively, from the same file.
            while (wanted.TryDequeue(out var name))
            {
                if (schemas.ContainsKey(name) || components[name] is not { } schema)
                {
                    continue;
                }

                schemas[name] = schema.DeepClone();
                foreach (var reference in References(schema))
                {
                    wanted.Enqueue(reference);
                }
            }
        }

        var result = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Operation texts of Simlane's OpenAPI document",
                ["version"] = "1",
                ["description"] = "Generated from ../shared/spec/*.yaml (SORACOM's API) and src/Simlane.Cli/spec/simlane-extensions.yaml. "
                    + "Do not edit: run " + RegenerateCommand,
            },
            ["paths"] = new JsonObject(paths.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
                ["securitySchemes"] = securitySchemes,
            },
        };
        return result.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue reference && reference.GetValue<string>() is { } target
                        && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        yield return target["#/components/schemas/".Length..];
                    }

                    foreach (var inner in References(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in References(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
