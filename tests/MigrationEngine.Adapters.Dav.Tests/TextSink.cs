using Serilog.Core;
using Serilog.Events;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Writes every log event with its properties to a text writer, so a test can look for secrets in what was logged.</summary>
public sealed class TextSink(TextWriter writer) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        lock (writer)
        {
            writer.WriteLine(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + logEvent.Exception);
            foreach (var property in logEvent.Properties)
            {
                writer.WriteLine($"{property.Key}={property.Value}");
            }
        }
    }
}
