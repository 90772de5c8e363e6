using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Simlane.Server.OpenApi;

/// <summary>What SORACOM's spec (or Simlane's extension spec) says about one operation.</summary>
public sealed record OperationText(
    string OperationId,
    bool Official,
    string? Summary,
    string? Description,
    IReadOnlyList<IOpenApiParameter> Parameters,
    IOpenApiRequestBody? RequestBody,
    IReadOnlyDictionary<string, string> Successes,
    IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// The embedded operation-texts.json: an OpenAPI 3.0 document generated from the repository's spec/*.yaml and the CLI's
/// simlane-extensions.yaml by the tests (docs/api.md), so that the server needs nothing outside itself.
/// </summary>
public sealed class OperationTexts
{
    private const string ResourceName = "operation-texts.json";
    private const string ComponentPrefix = "#/components/";

    private readonly Dictionary<string, OperationText> byId;
    private readonly Dictionary<string, IReadOnlySet<string>> componentsById;
    private readonly OpenApiDocument source;
    private readonly JsonObject componentNodes;

    private OperationTexts(OpenApiDocument source, JsonObject json)
    {
        this.source = source;
        componentNodes = json["components"]?.AsObject() ?? [];
        SchemaNames = (componentNodes["schemas"]?.AsObject() ?? []).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        byId = new(StringComparer.Ordinal);
        componentsById = new(StringComparer.Ordinal);
        foreach (var (_, item) in json["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var id = node!["operationId"]!.GetValue<string>();
                var operation = source.Paths.Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value).First(o => o.OperationId == id);
                var responses = node["responses"]?.AsObject() ?? [];
                byId[id] = new OperationText(
                    id,
                    node["x-simlane-official"]?.GetValue<bool>() ?? false,
                    operation.Summary?.Trim(),
                    operation.Description?.Trim(),
                    [.. operation.Parameters ?? []],
                    operation.RequestBody,
                    Descriptions(responses, success: true),
                    Descriptions(responses, success: false));
                componentsById[id] = Closure(References(node["requestBody"]).Concat(References(node["parameters"])));
            }
        }
    }

    /// <summary>The names of the component schemas the texts bring (SORACOM's names).</summary>
    public IReadOnlySet<string> SchemaNames { get; }

    public IReadOnlyDictionary<string, IOpenApiSecurityScheme> SecuritySchemes =>
        source.Components?.SecuritySchemes?.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal) ?? [];

    public static OperationTexts Load()
    {
        using var stream = typeof(OperationTexts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var parsed = OpenApiDocument.Parse(text, "json");
        var document = parsed.Document ?? throw new InvalidOperationException(
            $"{ResourceName} is not an OpenAPI document: {string.Join("; ", parsed.Diagnostic?.Errors.Select(e => e.Message) ?? [])}");
        return new OperationTexts(document, JsonNode.Parse(text)!.AsObject());
    }

    public OperationText? Find(string operationId) => byId.GetValueOrDefault(operationId);

    /// <summary>Adds the schemas and examples an operation's texts reference (transitively) to the document's components.</summary>
    public void AddComponentsOf(string operationId, OpenApiDocument document)
    {
        foreach (var key in componentsById.GetValueOrDefault(operationId) ?? new HashSet<string>())
        {
            AddComponent(key, document);
        }
    }

    /// <summary>Adds one component ("schemas/Name" or "examples/Name") and those it references.</summary>
    public void AddComponent(string key, OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
        var (kind, name) = Split(key);
        if (kind == "schemas" && !document.Components.Schemas.ContainsKey(name) && source.Components?.Schemas?.TryGetValue(name, out var schema) == true)
        {
            document.AddComponent(name, schema);
        }
        else if (kind == "examples" && !document.Components.Examples.ContainsKey(name) && source.Components?.Examples?.TryGetValue(name, out var example) == true)
        {
            document.AddComponent(name, example);
        }
        else
        {
            return;
        }

        foreach (var inner in Closure(References(componentNodes[kind]?[name])))
        {
            AddComponent(inner, document);
        }
    }

    private static (string Kind, string Name) Split(string key) =>
        (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    private HashSet<string> Closure(IEnumerable<string> roots)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out var key))
        {
            if (result.Add(key))
            {
                var (kind, name) = Split(key);
                foreach (var inner in References(componentNodes[kind]?[name]))
                {
                    pending.Push(inner);
                }
            }
        }

        return result;
    }

    private static Dictionary<string, string> Descriptions(JsonObject responses, bool success) =>
        responses.Where(r => r.Key.StartsWith('2') == success)
            .ToDictionary(r => r.Key, r => r.Value?["description"]?.GetValue<string>()?.Trim() ?? "", StringComparer.Ordinal);

    /// <summary>The components a node of the texts references: "schemas/Name", "examples/Name".</summary>
    internal static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v && v.GetValue<string>() is { } target && target.StartsWith(ComponentPrefix, StringComparison.Ordinal)
            ? [target[ComponentPrefix.Length..]]
            : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
