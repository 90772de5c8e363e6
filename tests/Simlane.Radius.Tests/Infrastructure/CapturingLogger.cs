using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Simlane.Radius.Server;

namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>Keeps every log line (message and exception text) at every level, to check what the listener logs.</summary>
public sealed class CapturingLogger : ILogger<RadiusListener>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
}
