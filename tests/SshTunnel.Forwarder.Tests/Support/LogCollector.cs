using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>Keeps every log line the forwarder writes, for assertions on what it reported and on what it never wrote.</summary>
public sealed class LogCollector : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public string Text => string.Join('\n', lines);

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
    }
}
