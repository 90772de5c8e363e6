using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 (Kestrel, a free port) playing the Lambda Invoke API: it records every
/// request exactly as it arrived (raw target, headers, body) and answers what <see cref="Answer"/> says.
/// It checks nothing itself; tests verify the signature independently (botocore).
/// </summary>
public sealed class FakeLambda : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeLambda(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>: the action's <c>endpoint</c>.</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<ReceivedInvoke> Received { get; } = new();

    /// <summary>The answer to each request; by default 200 with the body <c>null</c>, as a function that returns nothing.</summary>
    public Func<ReceivedInvoke, CancellationToken, Task<FakeAnswer>> Answer { get; set; } = (_, _) => Task.FromResult(new FakeAnswer(200, "null"));

    public static async Task<FakeLambda> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeLambda? fake = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var received = new ReceivedInvoke(
                context.Request.Method,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray());
            fake!.Received.Enqueue(received);
            FakeAnswer answer;
            try
            {
                answer = await fake.Answer(received, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up (timeout test).
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeLambda(app, new Uri(address));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One request as the fake Lambda received it.</summary>
public sealed record ReceivedInvoke(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

public sealed record FakeAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);
