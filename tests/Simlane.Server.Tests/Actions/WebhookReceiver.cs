using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// A real HTTP endpoint (Kestrel on 127.0.0.1, a free port) that records every request. The path chooses the
/// answer: <c>/status/{code}</c> (with <c>?retryAfter=N</c> a Retry-After header), <c>/redirect</c> (302),
/// <c>/hang</c> (never answers), anything else 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    private readonly ConcurrentDictionary<string, int> flaky = new(StringComparer.Ordinal);

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUri = new Uri(app.Urls.Single());
        return receiver;
    }

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Requests.Enqueue(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            context.Request.ContentLength ?? (context.Request.Headers.TransferEncoding.Count > 0 ? -1 : 0)));

        var segments = context.Request.Path.Value!.Trim('/').Split('/');
        switch (segments[0])
        {
            case "status":
                context.Response.StatusCode = int.Parse(segments[1], CultureInfo.InvariantCulture);
                if (context.Request.Query["retryAfter"] is [{ } retryAfter])
                {
                    context.Response.Headers.RetryAfter = retryAfter;
                }

                break;
            case "flaky":
                // /flaky/{n}/...: 503 for the first n requests to this path, then 200.
                var seen = flaky.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
                context.Response.StatusCode = seen <= int.Parse(segments[1], CultureInfo.InvariantCulture) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
                break;
            case "redirect":
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = "/elsewhere";
                break;
            case "hang-once":
                // The first request to this path never gets an answer (the sender is killed meanwhile); later ones get 200.
                if (flaky.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1) == 1)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                break;
            case "hang":
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            default:
                await context.Response.WriteAsync("ok", context.RequestAborted);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One request as the endpoint received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, long ContentLength)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
