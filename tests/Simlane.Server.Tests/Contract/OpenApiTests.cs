using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The published OpenAPI document lines up with SORACOM's: every /v1 operation it names carries the
/// operationId SORACOM's spec gives the same method and path. The document does not depend on the
/// database, so this runs on SQLite only.
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

    [Fact]
    public async Task Docs_AnswersAnHtmlApiReference()
    {
        var response = await server.Factory.CreateClient().GetAsync(new Uri("/docs", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
    }

    private static string Normalize(string path) => PathParameter().Replace(path.TrimEnd('/'), "{}");
}
