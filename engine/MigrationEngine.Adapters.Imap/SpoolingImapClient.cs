using MailKit.Net.Imap;
using MimeKit.IO;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// An <see cref="ImapClient"/> whose folders write fetched bodies into <see cref="SpooledBody"/> streams: in memory while
/// the mailbox's bodies in flight stay under a budget, in a temporary file (deleted on close) beyond it, so a 50 MB message
/// is held once on disk rather than several times in memory.
/// </summary>
internal sealed class SpoolingImapClient(SpoolBudget budget) : ImapClient
{
    protected override ImapFolder CreateImapFolder(ImapFolderConstructorArgs args) => new SpoolingImapFolder(args, budget);

    private sealed class SpoolingImapFolder(ImapFolderConstructorArgs args, SpoolBudget budget) : ImapFolder(args)
    {
        protected override Stream CreateStream(MailKit.UniqueId? uid, string section, int offset, int length) =>
            budget.Create(length);
    }
}

/// <summary>How many bytes of fetched bodies may be in memory at once; larger or later ones go to temporary files.</summary>
internal sealed class SpoolBudget(long maxInMemoryBytes, long maxInMemoryMessageBytes)
{
    public const long DefaultMaxInMemoryBytes = 64L * 1024 * 1024;
    public const long DefaultMaxInMemoryMessageBytes = 8L * 1024 * 1024;

    private long _inMemory;

    public long InMemoryBytes => Interlocked.Read(ref _inMemory);

    public SpooledBody Create(long length)
    {
        if (length <= maxInMemoryMessageBytes && Interlocked.Add(ref _inMemory, length) <= maxInMemoryBytes)
        {
            return new SpooledBody(length > 4096 ? new MemoryBlockStream() : new MemoryStream((int)length), this, length);
        }

        if (length <= maxInMemoryMessageBytes)
        {
            Interlocked.Add(ref _inMemory, -length);
        }

        var path = Path.Combine(Path.GetTempPath(), "migration-imap-" + Guid.NewGuid().ToString("N") + ".eml");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return new SpooledBody(file, null, 0);
    }

    public void Release(long bytes) => Interlocked.Add(ref _inMemory, -bytes);
}

/// <summary>
/// A fetched body. MailKit disposes the stream after its fetch callback; the adapter takes a second reference
/// (<see cref="Retain"/>) so the body outlives the callback until the consumer disposes it.
/// </summary>
internal sealed class SpooledBody(Stream inner, SpoolBudget? budget, long budgetBytes) : Stream
{
    private int _references = 1;

    public bool IsOnDisk => inner is FileStream;

    public void Retain() => Interlocked.Increment(ref _references);

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            inner.Dispose();
            budget?.Release(budgetBytes);
        }

        base.Dispose(disposing);
    }
}
