using System.Globalization;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Simlane.Server.Telemetry;

/// <summary>
/// The <c>Simlane:Metrics</c> section (docs/operations.md, "Metrics"): the Prometheus scrape endpoint, off by default
/// (<c>--metrics</c>, <c>SIMLANE_METRICS=true</c>).
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Simlane:Metrics";

    public bool Enabled { get; set; }

    /// <summary>Where Prometheus scrapes; default <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>How old the open-sessions count (a count over the sessions table) may be when read, seconds; 1 to 3600, default 30.</summary>
    public int SessionsCountSeconds { get; set; } = 30;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path) || Path[0] != '/' || Path.StartsWith("/v1", StringComparison.Ordinal) || Path.Contains('?', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Simlane:Metrics:Path must be a path starting with '/' outside /v1, not '{Path}'");
        }

        if (SessionsCountSeconds is < 1 or > 3600)
        {
            throw new InvalidOperationException($"Simlane:Metrics:SessionsCountSeconds must be between 1 and 3600, not {SessionsCountSeconds.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

/// <summary>
/// OpenTelemetry for simlane-server: metrics (ASP.NET Core, HttpClient, .NET runtime, and Simlane's meters
/// <c>Simlane.Server</c>, <c>Simlane.Radius</c>, <c>Simlane.Diameter</c>) to the Prometheus endpoint when
/// <see cref="MetricsOptions.Enabled"/>, and metrics and traces through OTLP when the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables name an endpoint. With neither, no OpenTelemetry SDK is set up at all.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The activity source of Simlane's own spans.</summary>
    public const string ActivitySourceName = "Simlane.Server";

    /// <summary>Every meter Simlane's projects create.</summary>
    public static readonly string[] Meters = [SimlaneMetrics.MeterName, "Simlane.Radius", "Simlane.Diameter"];

    private static readonly string[] OtlpEndpointVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    /// <summary>Whether the standard OTLP variables ask for an exporter (OpenTelemetry's exporter reads them itself).</summary>
    public static bool OtlpRequested(IConfiguration configuration) => OtlpEndpointVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    public static IServiceCollection AddSimlaneTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new SimlaneMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<DatabaseGauges>();
        var prometheus = configuration.GetValue($"{MetricsOptions.Section}:{nameof(MetricsOptions.Enabled)}", false);
        var otlp = OtlpRequested(configuration);
        if (!prometheus && !otlp)
        {
            return services;
        }

        var version = typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over this default (the SDK reads them too).
            if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService("simlane-server", serviceVersion: version, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            }
        });
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
            if (prometheus)
            {
                // No response cache: each scrape reads the instruments now (a scrape every few seconds is cheap).
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ActivitySourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// Creates the observable instruments when an exporter is on, and maps the Prometheus scrape endpoint when metrics are
    /// on (no authentication: keep it on a private network).
    /// </summary>
    public static void MapSimlaneMetrics(this WebApplication app, MetricsOptions options)
    {
        if (options.Enabled || OtlpRequested(app.Configuration))
        {
            _ = app.Services.GetRequiredService<DatabaseGauges>();
        }

        if (options.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(options.Path).ExcludeFromDescription();
        }
    }
}
