using System.Buffers;
using System.Reflection;
using MailKit;
using MailKit.Net.Imap;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// An <see cref="ImapClient"/> whose folders write fetched bodies into <see cref="SpooledBody"/> streams: in memory while
/// the mailbox's bodies in flight stay under a budget, in a temporary file (deleted on close) beyond it, so a 50 MB message
/// is held once on disk rather than several times in memory.
/// </summary>
internal sealed class SpoolingImapClient(SpoolBudget budget, IProtocolLogger protocolLogger) : ImapClient(protocolLogger)
{
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly PropertyInfo? EngineProperty = typeof(ImapFolder).GetProperty("Engine", AnyInstance);
    private static readonly MethodInfo? EncodeName = EngineProperty?.PropertyType.GetMethod("EncodeMailboxName", AnyInstance, [typeof(string)]);
    private static readonly MethodInfo? CreateFolder = EngineProperty?.PropertyType.GetMethod("CreateImapFolder", AnyInstance, [typeof(string), typeof(FolderAttributes), typeof(char)]);
    private static readonly MethodInfo? TryGetCachedFolder = EngineProperty?.PropertyType.GetMethod("TryGetCachedFolder", AnyInstance, [typeof(string), typeof(ImapFolder).MakeByRefType()]);

    protected override ImapFolder CreateImapFolder(ImapFolderConstructorArgs args) => new SpoolingImapFolder(args, budget);

    /// <summary>How often this connection has listed every folder (MailKit then knows them without asking again).</summary>
    public int Listings { get; set; }

    /// <summary>
    /// Whether MailKit knows the folder already (from a listing, or the special folders it lists itself after login), so
    /// that asking for it costs no round trip. Null when this MailKit version does not expose what this needs.
    /// </summary>
    public bool? Knows(string fullName)
    {
        try
        {
            if (Engine(fullName) is not { } engine || TryGetCachedFolder is null)
            {
                return null;
            }

            object?[] args = [engine.Encoded, null];
            return (bool)TryGetCachedFolder.Invoke(engine.Instance, args)!;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    /// <summary>
    /// A folder object for a hierarchy level the server does not have, so that "CREATE parent/child" can be sent in one
    /// command and the server makes the parent a hierarchy name only, as the source has it. MailKit refuses a delimiter in
    /// a CREATE name, which would otherwise leave an extra empty mail folder for every such parent. Null when this MailKit
    /// version does not expose what this needs; the caller then creates the parent as a folder.
    /// </summary>
    public ImapFolder? DetachedFolder(string fullName, char delimiter)
    {
        try
        {
            if (Engine(fullName) is not { } engine || CreateFolder is null)
            {
                return null;
            }

            return CreateFolder.Invoke(engine.Instance, [engine.Encoded, FolderAttributes.NonExistent, delimiter]) as ImapFolder;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    /// <summary>MailKit's engine behind this client and a folder name as it encodes it; null when this version hides them.</summary>
    private (object Instance, string Encoded)? Engine(string fullName) =>
        EngineProperty?.GetValue(Inbox) is { } engine && EncodeName is not null
            ? (engine, (string)EncodeName.Invoke(engine, [fullName])!)
            : null;

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

    public SpooledBody Create(long length)
    {
        if (length <= maxInMemoryMessageBytes && Interlocked.Add(ref _inMemory, length) <= maxInMemoryBytes)
        {
            return new PooledMemoryBody((int)length, this);
        }

        if (length <= maxInMemoryMessageBytes)
        {
            Interlocked.Add(ref _inMemory, -length);
        }

        var path = Path.Combine(Path.GetTempPath(), "migration-imap-" + Guid.NewGuid().ToString("N") + ".eml");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return new FileBody(file);
    }

    public void Release(long bytes) => Interlocked.Add(ref _inMemory, -bytes);
}

/// <summary>
/// A fetched body. MailKit disposes the stream after its fetch callback; the adapter takes a second reference
/// (<see cref="Retain"/>) so the body outlives the callback until the consumer disposes it.
/// </summary>
internal abstract class SpooledBody : Stream
{
    private int _references = 1;

    public abstract bool IsOnDisk { get; }

    public void Retain() => Interlocked.Increment(ref _references);

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;

    public override void Flush()
    {
    }

    /// <summary>Frees what the body holds, once the last reference is disposed.</summary>
    protected abstract void ReleaseContent();

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            ReleaseContent();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A body in one array rented from the shared pool: hashed in one call and sent again without a copy.</summary>
internal sealed class PooledMemoryBody : SpooledBody, IInMemoryContent
{
    private readonly SpoolBudget _budget;
    private readonly long _budgetBytes;
    private byte[] _buffer;
    private int _length;
    private int _position;

    public PooledMemoryBody(int expectedLength, SpoolBudget budget)
    {
        _budget = budget;
        _budgetBytes = expectedLength;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(expectedLength, 1));
    }

    public override bool IsOnDisk => false;

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = (int)Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _length - _position);
        _buffer.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var end = _position + buffer.Length;
        if (end > _buffer.Length)
        {
            // The server sent more than the literal length announced: grow rather than fail.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(end, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        buffer.CopyTo(_buffer.AsSpan(_position));
        _position = end;
        _length = Math.Max(_length, end);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void SetLength(long value)
    {
        if (value > _buffer.Length)
        {
            throw new NotSupportedException("a pooled body does not grow by SetLength");
        }

        _length = (int)value;
        _position = Math.Min(_position, _length);
    }

    protected override void ReleaseContent()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
        _position = 0;
        _budget.Release(_budgetBytes);
    }
}

/// <summary>A body too large for memory (or past the budget), in a temporary file deleted on close.</summary>
internal sealed class FileBody(FileStream file) : SpooledBody
{
    public override bool IsOnDisk => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => file.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        file.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        file.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override void SetLength(long value) => file.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        file.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        file.WriteAsync(buffer, cancellationToken);

    protected override void ReleaseContent() => file.Dispose();
}
