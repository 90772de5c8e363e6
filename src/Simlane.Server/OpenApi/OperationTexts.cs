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
/// The embedded operation-texts.json: an OpenAPI 3.0 document generated from ../shared/spec and the CLI's
/// simlane-extensions.yaml by the tests (docs/api.md), so that the server needs nothing outside itself.
/// </summary>
public sealed class OperationTexts
{
    private const string ResourceName = "operation-texts.json";
    private const string SchemaPrefix = "#/components/schemas/";

    private readonly Dictionary<string, OperationText> byId;
    private readonly Dictionary<string, IReadOnlySet<string>> schemasById;
    private readonly OpenApiDocument source;
    private readonly JsonObject schemaNodes;

    private OperationTexts(OpenApiDocument source, JsonObject json)
    {
        this.source = source;
        schemaNodes = json["components"]?["schemas"]?.AsObject() ?? [];
        SchemaNames = schemaNodes.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        byId = new(StringComparer.Ordinal);
        schemasById = new(StringComparer.Ordinal);
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
                schemasById[id] = Closure(References(node["requestBody"]).Concat(References(node["parameters"])));
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

    /// <summary>Adds the schemas an operation's texts reference (transitively) to the document's components.</summary>
    public void AddSchemasOf(string operationId, OpenApiDocument document)
    {
        foreach (var name in schemasById.GetValueOrDefault(operationId) ?? new HashSet<string>())
        {
            AddSchema(name, document);
        }
    }

    public void AddSchema(string name, OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(name) && source.Components?.Schemas?.TryGetValue(name, out var schema) == true)
        {
            document.AddComponent(name, schema);
            foreach (var inner in Closure(References(schemaNodes[name])))
            {
                AddSchema(inner, document);
            }
        }
    }

    private HashSet<string> Closure(IEnumerable<string> roots)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out var name))
        {
            if (result.Add(name))
            {
                foreach (var inner in References(schemaNodes[name]))
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

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v && v.GetValue<string>() is { } target && target.StartsWith(SchemaPrefix, StringComparison.Ordinal)
            ? [target[SchemaPrefix.Length..]]
            : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
