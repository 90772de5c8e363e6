using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Simlane.Core.Errors;
using Simlane.Server.Auth;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// SORACOM-like rate limits on ASP.NET Core's rate limiter (<c>UseRateLimiter</c>): a fixed window per route
/// group and operator (or client IP), <c>X-Soracom-Ratelimit-*</c> headers on every answer of a limited route,
/// and 429 COM0014 beyond the limit. A window starts with the first request of its partition and lasts
/// <see cref="RateLimitOptions.WindowSeconds"/> of real time (never the sandbox clock); the partition key
/// carries the window's start, so a window's count never replenishes early and the headers know exactly when
/// it refreshes.
/// </summary>
public sealed class RateLimits : IDisposable
{
    public const string LimitHeader = "X-Soracom-Ratelimit-Limit";
    public const string RemainingHeader = "X-Soracom-Ratelimit-Remaining";
    public const string RefreshHeader = "X-Soracom-Ratelimit-Seconds-Before-Refresh";

    private static readonly object TargetKey = new();

    // Real time on purpose: moving the sandbox clock must not refill (or drain) anyone's window.
    private readonly TimeProvider time = SystemClock.Instance;
    private readonly TimeSpan window;
    private readonly (string Prefix, string Group, RateLimitGroupOptions Options)[] prefixes;
    private readonly ConcurrentDictionary<(string Group, string Subject), long> windowStarts = new();
    private int requestsSinceSweep;

    public RateLimits(IOptions<RateLimitOptions> options)
    {
        var value = options.Value;
        Enabled = value.Enabled;
        window = TimeSpan.FromSeconds(value.WindowSeconds);
        prefixes = [.. value.EffectiveGroups()
            .SelectMany(g => g.Value.Paths.Select(p => (Prefix: p, Group: g.Key, Options: g.Value)))
            .OrderByDescending(p => p.Prefix.Length)];
        Limiter = PartitionedRateLimiter.Create<HttpContext, Key>(Partition);
    }

    public bool Enabled { get; }

    /// <summary>The limiter <c>UseRateLimiter</c> runs as its global limiter.</summary>
    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>Configures the built-in middleware: this limiter, 429 and SORACOM's error body.</summary>
    public static void Configure(RateLimiterOptions options, RateLimits limits)
    {
        options.GlobalLimiter = limits.Limiter;
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) => new ValueTask(limits.RejectAsync(rejected.HttpContext));
    }

    /// <summary>Runs after the limiter let a request through: the headers go on whatever the answer is.</summary>
    public Task AddHeadersAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Items[TargetKey] is Target target)
        {
            var remaining = Limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
            context.Response.OnStarting(() =>
            {
                SetHeaders(context.Response, target, remaining);
                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    private Task RejectAsync(HttpContext context)
    {
        var target = (Target)context.Items[TargetKey]!;
        var seconds = SecondsBeforeRefresh(target);
        SetHeaders(context.Response, target, 0);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiErrors.WriteAsync(context, ErrorCodes.TooManyRequests,
            $"Too many requests to the {target.Group} API group: at most {target.Limit} in {(long)window.TotalSeconds} seconds; retry in {seconds} seconds");
    }

    private void SetHeaders(HttpResponse response, Target target, long remaining)
    {
        response.Headers[LimitHeader] = target.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[RefreshHeader] = SecondsBeforeRefresh(target).ToString(CultureInfo.InvariantCulture);
    }

    private long SecondsBeforeRefresh(Target target)
    {
        var left = window - time.GetElapsedTime(target.WindowStart);
        return Math.Max(1, (long)Math.Ceiling(left.TotalSeconds));
    }

    private RateLimitPartition<Key> Partition(HttpContext context)
    {
        var target = context.Items[TargetKey] as Target ?? Classify(context);
        if (target is null)
        {
            return RateLimitPartition.GetNoLimiter(Key.Unlimited);
        }

        context.Items[TargetKey] = target;
        return RateLimitPartition.GetFixedWindowLimiter(new Key(target.Group, target.Subject, target.WindowStart), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = target.Limit,
            Window = window,
            QueueLimit = 0,
        });
    }

    /// <summary>The group and partition of a request, or null when it is not limited.</summary>
    private Target? Classify(HttpContext context)
    {
        var path = context.Request.Path;
        if (!Enabled || path.StartsWithSegments(RateLimitOptions.GatewayPath, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var (prefix, group, options) in prefixes)
        {
            if (!path.StartsWithSegments(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var caller = context.RequestServices.GetRequiredService<Caller>();
            var subject = options.PartitionBy == RateLimitOptions.ByOperator && caller.IsAuthenticated
                ? $"operator:{caller.OperatorId}"
                : $"ip:{context.Connection.RemoteIpAddress}";
            return new Target(group, options.Limit!.Value, subject, WindowStart(group, subject));
        }

        return null;
    }

    /// <summary>The start of the partition's current window: a new one when the last has run out.</summary>
    private long WindowStart(string group, string subject)
    {
        var now = time.GetTimestamp();
        if (Interlocked.Increment(ref requestsSinceSweep) % 4096 == 0)
        {
            foreach (var entry in windowStarts)
            {
                if (time.GetElapsedTime(entry.Value, now) >= window)
                {
                    windowStarts.TryRemove(entry);
                }
            }
        }

        return windowStarts.AddOrUpdate((group, subject), now, (_, start) => time.GetElapsedTime(start, now) >= window ? now : start);
    }

    public void Dispose() => Limiter.Dispose();

    private sealed record Target(string Group, int Limit, string Subject, long WindowStart);

    private readonly record struct Key(string Group, string Subject, long WindowStart)
    {
        public static readonly Key Unlimited = new("", "", 0);
    }
}
