using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The published OpenAPI document lines up with SORACOM's: every /v1 operation it names carries the
/// operationId SORACOM's spec gives the same method and path, SORACOM's summary, request body and query
/// parameters, the credentials the route checks and its {"code","message"} error answers; and it equals the
/// committed docs/openapi.json. The document does not depend on the database, so this runs on SQLite only.
/// </summary>
public sealed partial class OpenApiTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>
    /// Operations Simlane adds beyond SORACOM's API, each documented in docs/api.md. A new extension must
    /// be added here on purpose, so nothing ships under /v1 by accident with a name SORACOM might reuse.
    /// </summary>
    private static readonly Dictionary<string, string> SimlaneExtensions = new(StringComparer.Ordinal)
    {
        ["GET /v1/sandbox/clock"] = "sandboxGetClock",
        ["POST /v1/sandbox/clock"] = "sandboxSetClock",

        // The packet gateway's platform API (docs/gateway.md).
        ["POST /v1/gateway/sessions"] = "gatewayCreateSession",
        ["DELETE /v1/gateway/sessions/{sessionId}"] = "gatewayDeleteSession",
        ["POST /v1/gateway/ota"] = "gatewayReportOta",
        ["POST /v1/gateway/usage"] = "gatewayPostUsage",

        // Firings recorded by the rule engine (docs/api.md, "Event handlers").
        ["GET /v1/event_handlers/{handler_id}/executions"] = "listEventHandlerExecutions",
        ["GET /v1/event_handlers/subscribers/{imsi}/executions"] = "listEventHandlerExecutionsBySubscriber",
        ["POST /v1/event_handlers/dry_run"] = "dryRunEventHandler",
        ["GET /v1/event_handler_catalogue"] = "getEventHandlerCatalogue",

        // Action delivery history (docs/actions.md).
        ["POST /v1/event_handlers/{handler_id}/executions/{execution_id}/actions/{action_index}/retry"] = "retryEventHandlerAction",

        // The signing secret of the operator's web request actions (docs/actions.md).
        ["POST /v1/operators/{operator_id}/webhook_secret"] = "rotateWebhookSecret",

        // SORACOM's own operation (Sim:addSubscription), but outside the spec subset this project tracks.
        ["POST /v1/sims/{sim_id}/profiles/{iccid}/add_subscription"] = "addSubscription",
    };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    [Fact]
    public async Task OpenApiDocument_V1Operations_UseSoracomOperationIds()
    {
        var document = (await server.Anonymous().GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        var published = new List<(string Method, string Path, string? OperationId)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(p => Methods.Contains(p.Key)))
            {
                published.Add((method.ToUpperInvariant(), path, operation!["operationId"]?.GetValue<string>()));
            }
        }

        var v1 = published.Where(p => p.Path.StartsWith("/v1/", StringComparison.Ordinal)).ToList();
        v1.ShouldNotBeEmpty();
        v1.Where(p => p.OperationId is null).Select(p => $"{p.Method} {p.Path}").ShouldBeEmpty("operations without an operationId");

        var soracom = Spec.Operations.ToDictionary(o => $"{o.Method} {Normalize("/v1" + o.Path)}", o => o.OperationId);
        foreach (var (operation, name) in SimlaneExtensions)
        {
            soracom.Keys.ShouldNotContain(Normalize(operation), "an extension may not shadow a SORACOM operation");
            soracom.Values.ShouldNotContain(name, "an extension may not reuse a SORACOM operationId");
            soracom[Normalize(operation)] = name;
        }

        var mismatches = v1
            .Where(p => !soracom.TryGetValue($"{p.Method} {Normalize(p.Path)}", out var expected) || expected != p.OperationId)
            .Select(p => $"{p.Method} {p.Path} ({p.OperationId}): SORACOM has "
                + (soracom.TryGetValue($"{p.Method} {Normalize(p.Path)}", out var id) ? id : "no such operation"))
            .ToList();
        mismatches.ShouldBeEmpty();
    }

    /// <summary>Operations anyone may call: sign-in and sandbox sign-up. Every other one names its credentials.</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal) { "auth", "sandboxInitializeOperator" };

    private static string CommittedDocumentPath => Path.Combine(Spec.RepositoryRoot, "docs", "openapi.json");

    [Fact]
    public async Task OpenApiDocument_MatchesTheCommittedFile()
    {
        var document = await PublishedAsync();

        // The server URL depends on where the document was fetched from; the committed file leaves it out.
        document.Remove("servers");
        var expected = document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        if (OpenApiTexts.Updating)
        {
            await File.WriteAllTextAsync(CommittedDocumentPath, expected);
        }

        var committed = File.Exists(CommittedDocumentPath) ? await File.ReadAllTextAsync(CommittedDocumentPath) : "";
        (committed == expected).ShouldBeTrue(
            $"docs/openapi.json differs from the document the server publishes; regenerate it with {OpenApiTexts.RegenerateCommand}");
    }

    [Fact]
    public async Task OpenApiDocument_EveryOperationHasSummarySecurityBodyAndErrors()
    {
        var document = await PublishedAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        SchemeHeader(schemes, "api_key").ShouldBe("X-Soracom-API-Key");
        SchemeHeader(schemes, "api_token").ShouldBe("X-Soracom-Token");
        SchemeHeader(schemes, "gateway_key").ShouldBe("X-Simlane-Gateway-Key");
        document["components"]!["schemas"]!["APICallErrorMessage"]!["required"]!.AsArray().Select(r => r!.GetValue<string>())
            .ShouldBe(["code", "message"]);

        var official = Spec.Operations.ToDictionary(o => o.OperationId);
        var problems = new List<string>();
        var count = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject().Where(p => Methods.Contains(p.Key)))
            {
                count++;
                var operation = node!.AsObject();
                var id = operation["operationId"]?.GetValue<string>() ?? $"{method} {path}";
                void Problem(string what) => problems.Add($"{id}: {what}");

                if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()))
                {
                    Problem("no summary");
                }

                if (string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()))
                {
                    Problem("no description");
                }

                var security = (operation["security"] as JsonArray ?? [])
                    .Select(r => string.Join("+", r!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal))).ToList();
                var expectedSecurity = Anonymous.Contains(id) ? []
                    : path.StartsWith("/v1/gateway/", StringComparison.Ordinal) ? new List<string> { "gateway_key", "api_key+api_token" }
                    : ["api_key+api_token"];
                if (!security.SequenceEqual(expectedSecurity))
                {
                    Problem($"security [{string.Join(", ", security)}], expected [{string.Join(", ", expectedSecurity)}]");
                }

                var errors = operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5').ToList();
                if (errors.Count == 0)
                {
                    Problem("no error responses");
                }

                foreach (var (status, response) in errors)
                {
                    if (response!["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/APICallErrorMessage")
                    {
                        Problem($"error {status} is not {{\"code\",\"message\"}}");
                    }
                }

                if (!Anonymous.Contains(id) && !errors.Any(e => e.Key == "401"))
                {
                    Problem("no 401 although credentials are required");
                }

                if (official.TryGetValue(id, out var soracom))
                {
                    if (operation["summary"]?.GetValue<string>() != soracom.Node["summary"]?.GetValue<string>()?.Trim())
                    {
                        Problem("summary is not SORACOM's");
                    }

                    if (soracom.Node["requestBody"] is not null && operation["requestBody"]?["content"]?["application/json"]?["schema"] is null)
                    {
                        Problem("no request body although SORACOM's spec has one");
                    }

                    var queries = (operation["parameters"] as JsonArray ?? []).Where(p => p!["in"]!.GetValue<string>() == "query")
                        .Select(p => p!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
                    foreach (var query in (soracom.Node["parameters"] as JsonArray ?? []).Where(p => p!["in"]!.GetValue<string>() == "query"))
                    {
                        if (!queries.Contains(query!["name"]!.GetValue<string>()))
                        {
                            Problem($"query parameter {query["name"]} missing");
                        }
                    }

                    foreach (var (status, response) in soracom.Node["responses"]!.AsObject().Where(r => r.Key[0] is '4'))
                    {
                        if (operation["responses"]![status] is null)
                        {
                            Problem($"error {status} of SORACOM's spec missing");
                        }
                    }
                }
            }
        }

        count.ShouldBeGreaterThan(90);
        problems.ShouldBeEmpty();

        var dangling = Regex.Matches(document.ToJsonString(), "\"#/components/(\\w+)/([^\"]+)\"")
            .Select(m => $"{m.Groups[1].Value}/{m.Groups[2].Value}")
            .Where(r => document["components"]?[r.Split('/')[0]]?[r.Split('/')[1]] is null)
            .Distinct()
            .ToList();
        dangling.ShouldBeEmpty("references to components the document lacks");
    }

    [Fact]
    public async Task OpenApiDocument_RequestBodiesAreSoracomsSchemas()
    {
        var document = await PublishedAsync();

        // A body the handler reads by hand, declared from SORACOM's spec with its schema and the schemas it references.
        var token = document["paths"]!["/v1/operators/{operator_id}/token"]!["post"]!;
        token["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>()
            .ShouldBe("#/components/schemas/GenerateTokenRequest");
        document["components"]!["schemas"]!["GenerateTokenRequest"]!["properties"]!["tokenTimeoutSeconds"].ShouldNotBeNull();
        var handler = document["paths"]!["/v1/event_handlers"]!["post"]!;
        handler["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>()
            .ShouldBe("#/components/schemas/CreateEventHandlerRequest");
        document["components"]!["schemas"]!["RuleConfig"].ShouldNotBeNull();

        // SORACOM's name stays SORACOM's; Simlane's own type of the same name is renamed, not merged.
        document["paths"]!["/v1/auth"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>()
            .ShouldBe("#/components/schemas/AuthRequest");
        document["components"]!["schemas"]!["AuthRequest"]!["properties"]!["userName"].ShouldNotBeNull();

        // Query parameters the handlers read by hand.
        var listSims = document["paths"]!["/v1/sims"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        listSims.ShouldContain("limit");
        listSims.ShouldContain("last_evaluated_key");
    }

    [Fact]
    public async Task Docs_AnswersAnHtmlApiReference()
    {
        var response = await server.Factory.CreateClient().GetAsync(new Uri("/docs", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
    }

    private async Task<JsonObject> PublishedAsync() =>
        (await server.Anonymous().GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json.AsObject();

    private static string? SchemeHeader(JsonNode schemes, string name)
    {
        schemes[name]!["type"]!.GetValue<string>().ShouldBe("apiKey");
        schemes[name]!["in"]!.GetValue<string>().ShouldBe("header");
        return schemes[name]!["name"]!.GetValue<string>();
    }

    private static string Normalize(string path) => PathParameter().Replace(path.TrimEnd('/'), "{}");
}
