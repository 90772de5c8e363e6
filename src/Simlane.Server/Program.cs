using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Simlane.Server;
using Simlane.Server.Actions;
using Simlane.Server.Admin;
using Simlane.Server.Auth;
using Simlane.Server.Actions.Aws;
using Simlane.Server.Billing;
using Simlane.Server.Credentials;
using Simlane.Server.Engine;
using Simlane.Server.Exports;
using Simlane.Server.Gateway;
using Simlane.Server.Groups;
using Simlane.Server.Handlers;
using Simlane.Server.Infrastructure;
using Simlane.Server.OpenApi;
using Simlane.Server.Operators;
using Simlane.Server.Query;
using Simlane.Server.Sandbox;
using Simlane.Server.Scheduling;
using Simlane.Server.Sims;
using Simlane.Server.Stats;
using Simlane.Server.Usage;
using Simlane.Server.Subscribers;
using Simlane.Server.Telemetry;
using Simlane.Storage;

if (args.Length > 0 && args[0] == "admin")
{
    return await AdminCommands.RunAsync(args[1..], Console.Out, Console.Error);
}

var (settings, rest) = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = rest,
    // A published server started from another directory serves the console shipped next to its binary.
    WebRootPath = ShippedWebRoot.Resolve(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
});
// The content root is the working directory, which in production is rarely the install directory: load the
// appsettings.json shipped next to the binary first, so that a local one, environment variables and flags override it.
var shippedSettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
if (File.Exists(shippedSettings) && !string.Equals(Path.GetFullPath(builder.Environment.ContentRootPath), Path.GetFullPath(AppContext.BaseDirectory).TrimEnd('/'), StringComparison.Ordinal))
{
    builder.Configuration.Sources.Insert(0, new ConfigurationBuilder().AddJsonFile(shippedSettings, optional: true).Sources[0]);
}

builder.Configuration.AddInMemoryCollection(settings);
if (string.Equals(Environment.GetEnvironmentVariable("SIMLANE_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase))
{
    builder.Logging.ClearProviders().AddJsonConsole();
}
else
{
    builder.Logging.ClearProviders().AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.UseUtcTimestamp = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    });
}

// ApiErrors maps every exception and logs the true 500s itself; without this filter every 4xx domain
// error (say SEM0004) would also be logged at Error level with a stack trace.
builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);

builder.WebHost.ConfigureKestrel((context, kestrel) =>
{
    RequestLimitsMiddleware.ConfigureKestrel(kestrel);
    // Kestrel's own error answers (before any middleware) get the {"code","message"} body (docs/api.md, "Limits").
    if (context.Configuration.GetValue("Simlane:KestrelErrorBodies", true))
    {
        kestrel.ConfigureEndpointDefaults(KestrelErrorBodies.Use);
    }
});
builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = JsonBody.MaxBytes);
builder.Services.AddSimlane(builder.Configuration);
builder.Services.AddSimlaneOpenApi();

var app = builder.Build();
var simlane = app.Services.GetRequiredService<IOptions<SimlaneOptions>>().Value;
if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value is { InsecurePasswordHashingForTests: true } auth)
{
    app.Logger.LogWarning("Simlane:Auth:InsecurePasswordHashingForTests is set: new passwords are hashed with {Iterations} PBKDF2 iterations. Never use it outside tests.", auth.PasswordHashIterations);
}

// One line per request (docs/operations.md, "Logs"); first, so that it sees every answer, 500s included.
app.UseOperationalLogs();
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ApiErrors.HandleExceptionAsync });

// The web console (docs/console.md): static files that call the public API, served from wwwroot/console.
app.UseDefaultFiles();
app.UseStaticFiles(new StaticFileOptions
{
    OnPrepareResponse = file =>
    {
        var headers = file.Context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
    },
});
app.UseStatusCodePages(ApiErrors.StatusCodePageAsync);
app.UseRouting();
app.UseMiddleware<RequestLimitsMiddleware>();
app.UseMiddleware<BodyLimitMiddleware>();
app.UseMiddleware<SoracomAuthMiddleware>();
// Rate limits come after authentication: they count per operator (docs/operations.md, "Rate limits").
var rateLimits = app.Services.GetRequiredService<RateLimits>();
if (rateLimits.Enabled)
{
    app.UseRateLimiter();
    app.Use(rateLimits.AddHeadersAsync);
}

app.MapOpenApi("/openapi/v1.json");
app.MapSimlaneApiReference("/openapi/v1.json");
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.MapGet("/console", () => Results.Redirect("/console/")).ExcludeFromDescription();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
app.MapReadiness();
app.MapSimlaneMetrics(app.Services.GetRequiredService<IOptions<Simlane.Server.Telemetry.MetricsOptions>>().Value);

var v1 = app.MapGroup("/v1");
AuthApi.Map(v1);
OperatorsApi.Map(v1);
var sims = v1.MapGroup("/sims").WithTags("Sim");
var subscribers = v1.MapGroup("/subscribers").WithTags("Subscriber");
SimsApi.Map(sims);
SubscribersApi.Map(subscribers);
SimLifecycleApi.Map(sims, subscribers);
SimListsApi.Map(sims, subscribers);
GroupsApi.Map(v1.MapGroup("/groups").WithTags("Group"));
HandlersApi.Map(v1.MapGroup("/event_handlers").WithTags("EventHandler"));
HandlersApi.MapCatalogue(v1);
CredentialsApi.Map(v1.MapGroup("/credentials").WithTags("Credential"));
QueryApi.Map(v1.MapGroup("/query").WithTags("Query"));
BillingApi.Map(v1.MapGroup("/bills").WithTags("Billing"));
var gateway = v1.MapGroup("/gateway").WithTags("Gateway").WithMetadata(new AnonymousAttribute()).AddEndpointFilter(GatewayAuth.FilterAsync);
GatewaySessionsApi.Map(gateway, sims, subscribers);
GatewayUsageApi.Map(gateway);
AirStatsApi.Map(v1);
ExportsApi.Map(v1);
if (simlane.Sandbox)
{
    var sandbox = v1.MapGroup("/sandbox");
    SandboxApi.Map(sandbox);
    SandboxClockApi.Map(sandbox);
    SandboxStatsApi.Map(sandbox);
}

await app.RunAsync();
return 0;

/// <summary>The entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;

namespace Simlane.Server
{
    public static class ServiceRegistration
    {
        /// <summary>Every service the API needs; tests replace <see cref="TimeProvider"/> after this.</summary>
        public static IServiceCollection AddSimlane(this IServiceCollection services, IConfiguration configuration)
        {
            AddValidatedOptions<SimlaneOptions>(services, configuration, SimlaneOptions.Section, o => o.Validate());
            AddValidatedOptions<RateLimitOptions>(services, configuration, RateLimitOptions.Section, o => o.Validate());
            services.AddSingleton<RateLimits>();
            services.AddRateLimiter(_ => { });
            services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<RateLimits>(RateLimits.Configure);
            // Tests replace the ClockSource with a FakeTimeProvider; everything reads SimlaneClock as TimeProvider.
            services.TryAddSingleton(new ClockSource(SystemClock.Instance));
            services.AddSingleton<SimlaneClock>();
            services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SimlaneClock>());
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimlaneOptions>>().Value.ResolveDatabase());
            services.AddScoped(sp =>
            {
                var db = sp.GetRequiredService<DatabaseOptions>().CreateContext();
                db.CommitObserver = sp.GetRequiredService<WakeOnCommit>();
                db.NasRequestDeadline = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<Simlane.Server.Radius.RadiusOptions>>().Value.DynamicAuthorizationDeadlineSeconds);
                return db;
            });

            // Start-up order matters: migrations (and the sandbox clock's offset) before the scheduler fires anything.
            services.AddHostedService<MigrationService>();
            services.AddHostedService<SqliteCheckpointService>();
            AddValidatedOptions<BillingOptions>(services, configuration, BillingOptions.Section, o => o.Validate());
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<BillingOptions>>().Value
                .BuildPriceTable(sp.GetRequiredService<IOptions<SimlaneOptions>>().Value.Coverage));
            services.AddSingleton<BillingAggregator>();
            AddValidatedOptions<ExportOptions>(services, configuration, ExportOptions.Section, o => o.Validate());
            services.AddSingleton<ExportFiles>();
            AddValidatedOptions<Simlane.Core.Handlers.HandlerLimits>(services, configuration, Simlane.Core.Handlers.HandlerLimits.Section, o => o.Validate());
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<Simlane.Core.Handlers.HandlerLimits>>().Value);
            services.AddHostedService<BillingScheduleService>();
            services.AddSingleton<ITimerHandler, SimExpiryHandler>();
            services.AddSingleton<ITimerHandler, BillingAggregationHandler>();
            services.AddSingleton<WakeOnCommit>();
            services.AddSingleton<TimerScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());
            services.AddSingleton<HandlerCatalogs>();
            services.AddSingleton<RuleEngine>();
            services.AddSingleton<IDomainEventConsumer>(sp => sp.GetRequiredService<RuleEngine>());
            services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<RuleEngine>());
            services.AddSingleton<OutboxConsumer>();
            services.AddHostedService(sp => sp.GetRequiredService<OutboxConsumer>());
            services.AddSingleton<SandboxClock>();
            services.AddDataProtection().SetApplicationName("simlane");
            services.AddOptions<KeyManagementOptions>().Configure<IOptions<SimlaneOptions>, ILoggerFactory>((keys, simlane, logs) =>
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(simlane.Value.ResolveKeysDirectory()), logs));
            services.AddSingleton<SecretProtector>();
            AddActionExecutors(services, configuration);
            services.AddSingleton<CredentialStore>();
            AddValidatedOptions<LambdaOptions>(services, configuration, LambdaOptions.Section, o => o.Validate());
            services.AddHttpClient(InvokeLambdaExecutor.HttpClientName)
                .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<LambdaOptions>>().Value.Timeout)
                // The same address guard as web requests: a Lambda endpoint must not reach the server's own network either.
                .ConfigurePrimaryHttpMessageHandler(sp => ActionHttp.CreateHandler(sp.GetRequiredService<IOptions<ActionOptions>>().Value.AllowPrivateAddresses ?? false))
                .RedactLoggedHeaders(_ => true);
            services.AddSingleton<IActionExecutor, InvokeLambdaExecutor>();
            AddValidatedOptions<DeliveryOptions>(services, configuration, DeliveryOptions.Section, o => o.Validate());
            services.AddSingleton<IActionExecutor, SimActionExecutor>();
            services.AddSingleton<ActionDeliveryWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<ActionDeliveryWorker>());
            services.AddScoped<Caller>();
            services.AddScoped<GatewayCaller>();
            services.AddScoped<TokenService>();
            AddValidatedOptions<AuthOptions>(services, configuration, AuthOptions.Section, o => o.Validate());
            AddValidatedOptions<Simlane.Server.Radius.RadiusOptions>(services, configuration, Simlane.Server.Radius.RadiusOptions.Section, o => o.Validate());
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<Simlane.Server.Radius.RadiusOptions>>().Value.ClientTable());
            services.AddSingleton(sp => new Simlane.Radius.Server.RadiusMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.AddSingleton(sp => new Simlane.Server.Radius.RadiusAccountingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.AddSingleton<Simlane.Server.Radius.RadiusEndpoints>();
            services.AddSingleton<Simlane.Server.Radius.RadiusAccounting>();
            services.AddSingleton(sp =>
            {
                var database = sp.GetRequiredService<DatabaseOptions>();
                using var db = database.CreateContext();
                return new SessionAdmissionReads(database, db.Model);
            });
            services.AddSingleton<Simlane.Server.Radius.RadiusRequestHandler>();
            services.AddSingleton<Simlane.Server.Radius.RadiusService>();
            services.AddHostedService(sp => sp.GetRequiredService<Simlane.Server.Radius.RadiusService>());
            // Waiting for a NAS's answer is real network time, whatever the server's (sandbox or test) clock says.
            services.AddSingleton(_ => new Simlane.Radius.DynamicAuthorization.DynamicAuthorizationClient(SystemClock.Instance));
            AddValidatedOptions<Simlane.Server.Telemetry.MetricsOptions>(services, configuration, Simlane.Server.Telemetry.MetricsOptions.Section, o => o.Validate());
            services.AddSimlaneTelemetry(configuration);
            AddValidatedOptions<Simlane.Server.Diameter.DiameterOptions>(services, configuration, Simlane.Server.Diameter.DiameterOptions.Section, o => o.Validate());
            services.AddSingleton(sp => new Simlane.Diameter.Peers.DiameterMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.AddSingleton(sp => new Simlane.Server.Diameter.GyMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.AddSingleton<Simlane.Server.Diameter.GyCreditControl>();
            services.AddSingleton<Simlane.Server.Diameter.GyApplication>();
            services.AddSingleton<Simlane.Server.Diameter.DiameterService>();
            services.AddHostedService(sp => sp.GetRequiredService<Simlane.Server.Diameter.DiameterService>());
            services.AddSingleton<Simlane.Server.Radius.NasRequestWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<Simlane.Server.Radius.NasRequestWorker>());
            services.AddSingleton(sp => new PasswordHashing(sp.GetRequiredService<IOptions<AuthOptions>>().Value.PasswordHashIterations));
            services.AddSingleton<SignInVerifier>();
            services.AddScoped<SimAccess>();
            services.AddScoped<SimInventory>();
            services.AddScoped<Registration>();
            services.AddScoped<Metering>();
            services.AddSingleton<Simlane.Server.Usage.IngestCommitter>();
            services.AddSingleton<Simlane.Server.Usage.ImsiDirectory>();
            services.AddHostedService(sp => sp.GetRequiredService<Simlane.Server.Usage.ImsiDirectory>());
            services.AddSingleton<Simlane.Server.Usage.UsageOverlay>();
            services.AddSingleton<Simlane.Server.Usage.UsageFold>();
            services.AddHostedService(sp => sp.GetRequiredService<Simlane.Server.Usage.UsageFold>());
            AddValidatedOptions<UsageOptions>(services, configuration, UsageOptions.Section, o => o.Validate());
            services.AddSingleton<DeduplicationWindow>();
            services.AddSingleton<UsageRecordPruner>();
            services.AddHostedService(sp => sp.GetRequiredService<UsageRecordPruner>());
            AddValidatedOptions<HealthOptions>(services, configuration, HealthOptions.Section, o => o.Validate());
            return services;
        }

        /// <summary>Options bound from <paramref name="section"/> and checked by <paramref name="validate"/> (which throws) when the server starts.</summary>
        private static OptionsBuilder<T> AddValidatedOptions<T>(IServiceCollection services, IConfiguration configuration, string section, Action<T> validate)
            where T : class =>
            services.AddOptions<T>().Bind(configuration.GetSection(section)).Validate(o =>
            {
                validate(o);
                return true;
            }).ValidateOnStart();

        /// <summary>The mail and web request executors (issue 6) with their options and HTTP client.</summary>
        private static void AddActionExecutors(IServiceCollection services, IConfiguration configuration)
        {
            AddValidatedOptions<SmtpOptions>(services, configuration, SmtpOptions.Section, o => o.Validate());
            AddValidatedOptions<ActionOptions>(services, configuration, ActionOptions.Section, o => o.Validate())
                .PostConfigure<IOptions<SimlaneOptions>>((actions, simlane) => actions.AllowPrivateAddresses ??= simlane.Value.Sandbox);

            // No logging handler: a webhook URL may carry a token in its query string.
            services.AddHttpClient(ActionHttp.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(sp => ActionHttp.CreateHandler(
                    sp.GetRequiredService<IOptions<ActionOptions>>().Value.AllowPrivateAddresses ?? false))
                .RemoveAllLoggers();
            services.AddSingleton<WebhookSigningSecrets>();
            services.AddSingleton<IActionExecutor, MailActionExecutor>();
            services.AddSingleton<IActionExecutor, WebRequestActionExecutor>();
        }
    }
}
