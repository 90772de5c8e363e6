using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// Builds src/Simlane.Server/OpenApi/operation-texts.json, the texts the server's OpenAPI document takes
/// from SORACOM's spec (the server reads no YAML at run time): for every operation of
/// spec/*.yaml and of the CLI's simlane-extensions.yaml, its summary, description, parameters,
/// request body and response descriptions, with the component schemas and examples those reference. Operations are
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
            (Path.Combine(Spec.SpecDirectory, "soracom-api.subset.yaml"), true),
            (Path.Combine(Spec.SpecDirectory, "soracom-api.additions.yaml"), true),
            (Path.Combine(Spec.SpecDirectory, "soracom-sandbox-api.yaml"), true),
            (Path.Combine(Spec.RepositoryRoot, "src", "Simlane.Cli", "spec", "simlane-extensions.yaml"), false),
        };

        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        // Component schemas and examples, keyed "schemas/Name" and "examples/Name" as in their $ref.
        var components = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var securitySchemes = new JsonObject();
        foreach (var (file, official) in sources)
        {
            var document = Spec.ToJson(Spec.LoadYaml(file))!.AsObject();
            var wanted = new Queue<string>(["schemas/APICallErrorMessage"]);
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

            // The components those operations reference, transitively, from the same file.
            while (wanted.TryDequeue(out var key))
            {
                var (kind, name) = (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
                if (components.ContainsKey(key) || document["components"]?[kind]?[name] is not { } component)
                {
                    continue;
                }

                components[key] = component.DeepClone();
                foreach (var reference in References(component))
                {
                    wanted.Enqueue(reference);
                }
            }
        }

        // SORACOM's subset names examples it does not carry (#/components/examples/…): those are dropped, not left dangling.
        foreach (var (_, item) in paths)
        {
            DropDanglingExamples(item, components);
        }

        var result = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Operation texts of Simlane's OpenAPI document",
                ["version"] = "1",
                ["description"] = "Generated from spec/*.yaml (SORACOM's API) and src/Simlane.Cli/spec/simlane-extensions.yaml. "
                    + "Do not edit: run " + RegenerateCommand,
            },
            ["paths"] = new JsonObject(paths.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["components"] = new JsonObject
            {
                ["schemas"] = Kind(components, "schemas"),
                ["examples"] = Kind(components, "examples"),
                ["securitySchemes"] = securitySchemes,
            },
        };
        return result.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static void DropDanglingExamples(JsonNode? node, SortedDictionary<string, JsonNode> components)
    {
        if (node is JsonObject obj)
        {
            if (obj["examples"] is JsonObject examples)
            {
                foreach (var (name, _) in examples.Where(e => e.Value?["$ref"]?.GetValue<string>() is { } target
                             && !components.ContainsKey(target.Replace("#/components/", "", StringComparison.Ordinal))).ToList())
                {
                    examples.Remove(name);
                }

                if (examples.Count == 0)
                {
                    obj.Remove("examples");
                }
            }

            foreach (var (_, value) in obj)
            {
                DropDanglingExamples(value, components);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                DropDanglingExamples(item, components);
            }
        }
    }

    private static JsonObject Kind(SortedDictionary<string, JsonNode> components, string kind) =>
        new(components.Where(c => c.Key.StartsWith(kind + "/", StringComparison.Ordinal))
            .Select(c => KeyValuePair.Create(c.Key[(kind.Length + 1)..], (JsonNode?)c.Value)));

    /// <summary>The components a node references: "schemas/Name", "examples/Name".</summary>
    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue reference && reference.GetValue<string>() is { } target
                        && target.StartsWith("#/components/", StringComparison.Ordinal))
                    {
                        yield return target["#/components/".Length..];
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
