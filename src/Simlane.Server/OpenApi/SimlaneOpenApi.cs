using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Simlane.Server.Auth;
using Simlane.Server.Gateway;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.OpenApi;

/// <summary>
/// The published OpenAPI document (/openapi/v1.json, docs/api.md "OpenAPI document"). The framework sees
/// routes, path parameters and the Simlane types of bodies and answers; handlers read most bodies and every
/// query parameter by hand, so this fills in, by operationId, what SORACOM's spec says about each operation
/// (embedded operation-texts.json, generated from the spec by the tests): summary, description, query
/// parameters, request body and response descriptions. It adds the security each route really checks and
/// the <c>{"code","message"}</c> error answers each operation can give.
/// </summary>
public static class SimlaneOpenApi
{
    public const string ApiKeyScheme = "api_key";
    public const string ApiTokenScheme = "api_token";
    public const string GatewayKeyScheme = "gateway_key";
    public const string ErrorSchema = "APICallErrorMessage";

    public static IServiceCollection AddSimlaneOpenApi(this IServiceCollection services)
    {
        var texts = OperationTexts.Load();
        services.AddOpenApi(o =>
        {
            // SORACOM's schema names (AuthRequest, AuthResponse, …) stay SORACOM's; a Simlane type of the same name yields.
            o.CreateSchemaReferenceId = type =>
            {
                var id = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
                return id is not null && texts.SchemaNames.Contains(id) ? "Simlane" + id : id;
            };
            o.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context, texts);
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Simlane API (SORACOM-compatible subset)";
                document.Info.Version = "v1";
                document.Info.Description = "SORACOM's API as Simlane serves it. Authenticate with POST /v1/auth and send the answer's "
                    + "apiKey and token as X-Soracom-API-Key and X-Soracom-Token. Errors answer {\"code\",\"message\"} (docs/errors.md).";
                RemoveUnusedSchemas(document);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, OperationTexts texts)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer has no document");
        EnsureComponents(document, texts);
        var text = operation.OperationId is { } id ? texts.Find(id) : null;
        if (text is not null)
        {
            operation.Summary = text.Summary ?? operation.Summary;
            operation.Description = text.Description ?? operation.Description;
            ApplyParameters(operation, text);

            // The official request body is the contract SORACOM's clients send; a Simlane extension keeps its typed body.
            if (text.RequestBody is not null && (text.Official || operation.RequestBody is null))
            {
                operation.RequestBody = text.RequestBody;
                texts.AddComponentsOf(operation.OperationId!, document);
            }
        }

        var path = "/" + (context.Description.RelativePath ?? "");
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<AnonymousAttribute>().Any();
        var gateway = path.StartsWith("/v1/gateway/", StringComparison.Ordinal);
        operation.Security = [];
        if (gateway)
        {
            operation.Security.Add(Requirement(document, GatewayKeyScheme));
            if (context.ApplicationServices.GetRequiredService<IOptions<SimlaneOptions>>().Value.Sandbox)
            {
                operation.Security.Add(Requirement(document, ApiKeyScheme, ApiTokenScheme));
            }
        }
        else if (!anonymous)
        {
            operation.Security.Add(Requirement(document, ApiKeyScheme, ApiTokenScheme));
        }

        var method = context.Description.HttpMethod ?? "";
        AddErrors(operation, document, text, secured: gateway || !anonymous, acceptsBody: method is "POST" or "PUT" or "PATCH", rateLimited: !gateway);
    }

    private static void ApplyParameters(OpenApiOperation operation, OperationText text)
    {
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            parameter.Description ??= text.Parameters.FirstOrDefault(p => p.In == parameter.In && p.Name == parameter.Name)?.Description;
        }

        foreach (var parameter in text.Parameters.Where(p => p.In is ParameterLocation.Query or ParameterLocation.Header))
        {
            var existing = operation.Parameters.FirstOrDefault(p => p.In == parameter.In && p.Name == parameter.Name);
            if (existing is not null)
            {
                operation.Parameters.Remove(existing);
            }

            operation.Parameters.Add(parameter);
        }
    }

    /// <summary>
    /// The error answers: those SORACOM's spec lists for the operation (with its description), and those
    /// Simlane's pipeline gives every operation of this shape (docs/errors.md).
    /// </summary>
    private static void AddErrors(OpenApiOperation operation, OpenApiDocument document, OperationText? text, bool secured, bool acceptsBody, bool rateLimited)
    {
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var parameters = operation.Parameters ?? [];
        var hasBody = operation.RequestBody is not null;
        var queries = parameters.Any(p => p.In == ParameterLocation.Query);
        if (hasBody || parameters.Count > 0)
        {
            errors["400"] = "Bad request"
                + (hasBody ? ": malformed JSON (COM0001), a missing (COM0002) or invalid (COM0004) field" : ": an invalid value")
                + (queries ? ", an invalid query parameter (COM0007)" : "")
                + ", or a business rule (docs/errors.md). The message says which.";
        }

        if (secured)
        {
            errors["401"] = "Credentials missing (AUM0001) or invalid, expired or revoked (AUM0006).";
        }

        if (parameters.Any(p => p.In == ParameterLocation.Path && p.Name != "operator_id"))
        {
            errors["404"] = "No such resource: unknown, or another operator's (they look the same).";
        }

        if (acceptsBody)
        {
            errors["413"] = "The request body exceeds 1 MiB (COM0005).";
        }

        if (hasBody)
        {
            errors["415"] = "The request body is not application/json (COM0006).";
        }

        if (rateLimited)
        {
            // Every /v1 route but the gateway's belongs to a rate-limit group (docs/operations.md, "Rate limits").
            errors["429"] = "Too many requests in this route group's window (COM0014); X-Soracom-Ratelimit-* and Retry-After say when to retry.";
        }

        foreach (var (status, description) in text?.Errors ?? new Dictionary<string, string>())
        {
            errors[status] = string.IsNullOrWhiteSpace(description) ? errors.GetValueOrDefault(status, "Error.") : description;
        }

        operation.Responses ??= [];
        foreach (var (status, description) in errors)
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchema, document) },
                },
            };
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && text?.Successes.GetValueOrDefault(status) is { Length: > 0 } description)
            {
                concrete.Description = description;
            }
        }
    }

    /// <summary>
    /// Drops component schemas no operation reaches: the Simlane request types whose place SORACOM's
    /// official request bodies took.
    /// </summary>
    private static void RemoveUnusedSchemas(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { Count: > 0 } schemas)
        {
            return;
        }

        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var json = JsonNode.Parse(text.ToString())!;
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(OperationTexts.References(json["paths"]));
        while (pending.TryPop(out var key))
        {
            if (reachable.Add(key))
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                foreach (var inner in OperationTexts.References(json["components"]?[key[..slash]]?[key[(slash + 1)..]]))
                {
                    pending.Push(inner);
                }
            }
        }

        foreach (var name in schemas.Keys.Where(n => !reachable.Contains("schemas/" + n)).ToList())
        {
            schemas.Remove(name);
        }
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, params string[] schemes)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var scheme in schemes)
        {
            requirement[new OpenApiSecuritySchemeReference(scheme, document)] = [];
        }

        return requirement;
    }

    private static void EnsureComponents(OpenApiDocument document, OperationTexts texts)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        if (document.Components.SecuritySchemes.ContainsKey(ApiKeyScheme))
        {
            return;
        }

        foreach (var (name, scheme) in texts.SecuritySchemes)
        {
            document.AddComponent(name, scheme);
        }

        document.AddComponent(GatewayKeyScheme, (IOpenApiSecurityScheme)new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = GatewayAuth.KeyHeader,
            Description = "The packet gateway's shared key (docs/gateway.md). In sandbox mode an operator may call the gateway "
                + "routes for its own SIMs with X-Soracom-API-Key and X-Soracom-Token instead.",
        });
        texts.AddComponent("schemas/" + ErrorSchema, document);
    }
}
