using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>Keeps every log line (level, message, exception text), to check what the node logs and at which level.</summary>
public sealed class CapturingLogger : ILogger<DiameterNode>
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, $"{formatter(state, exception)} {exception}"));

    public IEnumerable<string> At(LogLevel level) => Lines.Where(l => l.Level == level).Select(l => l.Text);
}
