using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>Opens sources through the real factory and records which instance fetched which message, in fetch order.</summary>
internal sealed class CountingSourceFactory(IMailSourceFactory inner) : IMailSourceFactory
{
    public ConcurrentQueue<CountingSource> Opened { get; } = new();

    public IReadOnlyCollection<EndpointType> Types => inner.Types;

    public async Task<IMailSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var source = await inner.OpenAsync(context, cancellationToken);
        // The wrapper declares the marker; the source it wraps must, or the executor would not split its folders.
        Assert.IsAssignableFrom<IRangeFetchSource>(source);
        var counting = new CountingSource(source);
        Opened.Enqueue(counting);
        return counting;
    }
}

/// <summary>A source instance that records the ids it served, folder by folder, in the order it served them.</summary>
internal sealed class CountingSource(IMailSource inner) : IMailSource, IRangeFetchSource
{
    public ConcurrentQueue<(string Folder, string SourceId)> Fetched { get; } = new();

    private int _fetchCalls;

    public int FetchCalls => Volatile.Read(ref _fetchCalls);

    public Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken) => inner.ListFoldersAsync(cancellationToken);

    public IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken) =>
        inner.ListMessagesAsync(folder, afterSourceId, cancellationToken);

    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetchCalls);
        await foreach (var content in inner.FetchAsync(folder, messages, cancellationToken))
        {
            Fetched.Enqueue((folder.Path, content.Summary.SourceId));
            yield return content;
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
