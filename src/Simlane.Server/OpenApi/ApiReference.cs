using Scalar.AspNetCore;

namespace Simlane.Server.OpenApi;

/// <summary>
/// The interactive API reference at /docs (Scalar), self-contained: its script is served by this server,
/// it loads no fonts, scripts or styles from elsewhere and sends nothing to Scalar's hosted services
/// (telemetry, request proxy, Agent, MCP), and it offers none of their buttons. A Content-Security-Policy
/// on every /docs answer makes the browser refuse any other origin should a future Scalar try one.
/// </summary>
public static class ApiReference
{
    public const string Path = "/docs";

    /// <summary>The policy of every /docs answer; the page's one inline script is admitted by its per-request nonce.</summary>
    public static string ContentSecurityPolicy(string? nonce) =>
        "default-src 'none'; "
        + "script-src 'self'" + (nonce is null ? "" : $" 'nonce-{nonce}'") + "; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; "
        + "font-src 'self' data:; "
        + "connect-src 'self'; "
        + "worker-src 'self' blob:; "
        + "manifest-src 'self'; "
        + "form-action 'self'; "
        + "base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    public static IEndpointConventionBuilder MapSimlaneApiReference(this IEndpointRouteBuilder app, string openApiRoute)
    {
        var builder = app.MapScalarApiReference(Path, o =>
        {
            o.Title = "Simlane API";
            o.OpenApiRoutePattern = openApiRoute;

            // Scalar's default fonts (Inter, JetBrains Mono) come from fonts.scalar.com: off, the browser's own are used.
            o.DefaultFonts = false;

            // No hosted-service buttons or calls: the sidebar's client button (Scalar's hosted client), the
            // developer toolbar (share, deploy), Agent Scalar, MCP, telemetry.
            o.HideClientButton = true;
            o.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            o.Agent = new ScalarAgentOptions { Disabled = true };
            o.Mcp = new ScalarMcpOptions { Disabled = true };
            o.Telemetry = false;

            // The sidebar's "Powered by Scalar" link leads to Scalar's site; this page is the server's own.
            o.CustomCss = "a[href^=\"https://scalar.com\"] { display: none !important; }";

            // "Download" links to this server's own document, nothing else.
            o.DocumentDownloadType = DocumentDownloadType.Direct;

            // Test requests go straight from the browser to this server, never through Scalar's proxy.
            o.ProxyUrl = "";
            o.DynamicNonce = true;
        });
        builder.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    var nonce = context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var value) ? value as string : null;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";
                    return Task.CompletedTask;
                });
                return next(context);
            };
        });
        return builder;
    }
}
