using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Simlane.Server.Auth;
using Simlane.Server.Gateway;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// One log line per HTTP request on the category <see cref="Category"/> (docs/operations.md, "Logs"): the method, the
/// matched route template (<c>/v1/sims/{sim_id}</c>, never the request's path, which carries ids, nor its query string,
/// which may carry a token), the status code, the duration in milliseconds and the calling operator's id (<c>-</c> when
/// the request was not authenticated as an operator). Never a header, a body or a query string. Health probes, the
/// metrics scrape and the console's static files are logged at Debug so that polling does not flood the log; every
/// other request at Information. Runs first in the pipeline, so it sees the final status, the exception handler's 500
/// included.
/// </summary>
public sealed partial class RequestLog
{
    public const string Category = "Simlane.Requests";

    /// <summary>What a request that matched no route logs as its route.</summary>
    public const string Unmatched = "(unmatched)";

    /// <summary>What a request answered by the console's static files (no route) logs as its route.</summary>
    public const string StaticFile = "(static file)";

    private readonly RequestDelegate next;
    private readonly ILogger logger;
    private readonly FrozenSet<string> quietRoutes;

    public RequestLog(RequestDelegate next, ILoggerFactory loggers, IConfiguration configuration)
    {
        this.next = next;
        logger = loggers.CreateLogger(Category);
        // The metrics scrape's path is configurable (Simlane:Metrics:Path, default /metrics).
        quietRoutes = new[] { "/healthz", Readiness.Route, configuration["Simlane:Metrics:Path"] ?? "/metrics" }.ToFrozenSet(StringComparer.Ordinal);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            Write(context, start, threw);
        }
    }

    private void Write(HttpContext context, long start, bool threw)
    {
        // An exception that escaped every handler becomes Kestrel's 500 (unless the answer had started).
        var status = threw && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        // The exception handler clears the endpoint before it writes the 500; its feature keeps the one that threw.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var route = endpoint switch
        {
            RouteEndpoint { RoutePattern.RawText: { } template } => template,
            null when status < 400 => StaticFile,
            // No endpoint, or one the framework made without a route pattern (405 "HTTP Method Not Supported").
            _ => Unmatched,
        };
        var level = route == StaticFile || quietRoutes.Contains(route) ? LogLevel.Debug : LogLevel.Information;
        if (logger.IsEnabled(level))
        {
            var milliseconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1);
            var operatorId = OperatorId(context) ?? "-";
            LogRequest(logger, level, context.Request.Method, route, status, milliseconds, operatorId);
        }
    }

    /// <summary>The operator the request was authenticated as (SORACOM credentials, or a sandbox operator on the gateway API); null otherwise.</summary>
    private static string? OperatorId(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetService<Caller>() is { IsAuthenticated: true } caller)
        {
            return caller.OperatorId;
        }

        return services.GetService<GatewayCaller>()?.OperatorId;
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Message = "{Method} {Route} {StatusCode} in {DurationMs} ms, operator {OperatorId}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int statusCode, double durationMs, string operatorId);
}

/// <summary>
/// Once the server listens, one line per address it is bound to naming where the API, the console, the API docs and the
/// health endpoints are (category <see cref="Category"/>).
/// </summary>
public static partial class StartupLog
{
    public const string Category = "Simlane.Startup";

    /// <summary>Where Program.cs maps the OpenAPI document.</summary>
    public const string OpenApiDocument = "/openapi/v1.json";

    /// <summary>Logs the block for <paramref name="addresses"/> (e.g. <c>http://127.0.0.1:5000</c>).</summary>
    public static void Write(ILogger logger, IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var root = address.TrimEnd('/');
            LogWhere(logger, root + "/v1", root + "/console/", root + OpenApi.ApiReference.Path, root + OpenApiDocument, root + "/healthz", root + Readiness.Route);
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Addresses", Level = LogLevel.Information,
        Message = "Simlane API at {Api}, console at {Console}, API docs at {Docs} (OpenAPI document {OpenApi}), health at {Liveness} (liveness) and {Readiness} (readiness)")]
    private static partial void LogWhere(ILogger logger, string api, string console, string docs, string openApi, string liveness, string readiness);
}

public static class OperationalLogs
{
    /// <summary>
    /// The request log (<see cref="RequestLog"/>; call it first, before the exception handler, so that it sees every answer)
    /// and the start-up lines (<see cref="StartupLog"/>) written when the server has started listening.
    /// </summary>
    public static WebApplication UseOperationalLogs(this WebApplication app)
    {
        app.UseMiddleware<RequestLog>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
            {
                StartupLog.Write(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupLog.Category), addresses);
            }
        });
        return app;
    }
}
