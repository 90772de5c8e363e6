using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Simlane.Server.Tests.Operations;

/// <summary>One log event as a provider sees it: the message and its structured fields.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> State, Exception? Exception)
{
    /// <summary>A structured field's value (null when absent).</summary>
    public object? this[string name] => State.TryGetValue(name, out var value) ? value : null;

    /// <summary>The message and every field's value, to search for what must never be logged.</summary>
    public string AllText => Message + "\n" + string.Join("\n", State.Select(p => $"{p.Key}={p.Value}")) + "\n" + Exception;
}

/// <summary>A logger provider that keeps every event the server's filters let through (added beside its console logger).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IReadOnlyList<LogEntry> In(string category) => [.. entries.Where(e => e.Category == category)];

    /// <summary>Waits (bounded) until an entry matches <paramref name="predicate"/>; the entries matching it then.</summary>
    public async Task<IReadOnlyList<LogEntry>> WaitForAsync(Func<LogEntry, bool> predicate, int count = 1)
    {
        for (var i = 0; i < 1000 && entries.Count(predicate) < count; i++)
        {
            await Task.Delay(10);
        }

        var found = entries.Where(predicate).ToList();
        found.Count.ShouldBeGreaterThanOrEqualTo(count, "no such log entry; logged:\n" + string.Join("\n", entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        return found;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IReadOnlyList<KeyValuePair<string, object?>> list
                ? list.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            owner.entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), fields, exception));
        }
    }
}
