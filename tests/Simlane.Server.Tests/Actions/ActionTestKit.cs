using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Simlane.Server.Actions;

namespace Simlane.Server.Tests.Actions;

/// <summary>Attempts as the delivery pipeline builds them, and a logger that keeps what it was told.</summary>
public static class ActionTestKit
{
    /// <summary>The attempt's clock: the fixtures' fake "now" (2026-11-02T03:04:05Z).</summary>
    public static readonly long Now = new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static ActionAttempt Attempt(string operatorId, string actionType, JsonObject properties, string? deliveryKey = null, int attempt = 1) => new(
        DeliveryId: 1,
        DeliveryKey: deliveryKey ?? $"dlv-{Guid.NewGuid():N}",
        OperatorId: operatorId,
        HandlerId: Guid.NewGuid().ToString(),
        ExecutionId: 1,
        ActionType: actionType,
        Properties: properties,
        Imsi: "001010000000001",
        SimId: "8981100000000000001",
        Attempt: attempt,
        Now: Now);
}

/// <summary>Records every formatted log message (and exception text), to prove what is never logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
        {
            lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
