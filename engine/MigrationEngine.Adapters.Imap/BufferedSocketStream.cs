using System.Net.Sockets;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// The TCP stream handed to MailKit. MailKit reads and writes its IMAP stream in 4 KiB blocks, and its own socket stream
/// makes two CancellationTokenSources (one with a timer) for every block: copying 320 MB costs 160,000 of them and as
/// many system calls. This stream moves 64 KiB per system call and enforces the read and write timeouts with one
/// watchdog timer per connection. Output waits in the buffer until a flush, or until the client waits for the server.
/// </summary>
internal sealed class BufferedSocketStream : Stream
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _input = new byte[BufferSize];
    private readonly byte[] _output = new byte[BufferSize];
    private readonly Timer _watchdog;
    private int _inputStart;
    private int _inputEnd;
    private int _outputLength;
    private int _readTimeout = Timeout.Infinite;
    private int _writeTimeout = Timeout.Infinite;
    private long _busySince;
    private int _busyTimeout = Timeout.Infinite;
    private volatile bool _timedOut;
    private Task<int>? _lastReadTask;
    private bool _disposed;
    private volatile bool _socketOutlivesStream;

    private BufferedSocketStream(Socket socket)
    {
        _socket = socket;
        _watchdog = new Timer(static state => ((BufferedSocketStream)state!).CheckTimeout(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Connects to the server (every address the name resolves to, in turn) within <paramref name="timeout"/>.</summary>
    public static async Task<BufferedSocketStream> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, limit.Token);
            return new BufferedSocketStream(socket);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"no connection within {timeout.TotalSeconds:0} s", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether the server has sent anything yet: a stall before it is a greeting that never came.</summary>
    public bool HasReceived { get; private set; }

    private int Received(int count)
    {
        HasReceived |= count > 0;
        return count;
    }

    /// <summary>
    /// Before a polite close: disposing the stream (MailKit does once LOGOUT is answered) leaves the socket open, for
    /// <see cref="CloseAfterServerAsync"/> or <see cref="CloseSocket"/> to close.
    /// </summary>
    public void KeepSocketOnDispose() => _socketOutlivesStream = true;

    /// <summary>
    /// Waits, at most <paramref name="bound"/>, for the server to close the connection (a read that returns 0), then
    /// closes the socket. A server ends the session after its answer to LOGOUT, not with it: until it closes the
    /// connection, the session still counts against its per-host and per-user limits (and against ours). Whatever else
    /// arrives meanwhile is dropped; a socket error or the bound ends the wait as well.
    /// </summary>
    public async Task CloseAfterServerAsync(TimeSpan bound)
    {
        var buffer = new byte[512];
        using var limit = new CancellationTokenSource(bound);
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset, gone already, or the server kept it open past the bound: the socket is closed all the same.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>Closes the socket now (also one <see cref="KeepSocketOnDispose"/> kept open).</summary>
    public void CloseSocket() => _socket.Dispose();

    public override bool CanRead => !_disposed;
    public override bool CanWrite => !_disposed;
    public override bool CanSeek => false;
    public override bool CanTimeout => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = CheckTimeoutValue(value);
    }

    public override int WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = CheckTimeoutValue(value);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_inputStart == _inputEnd)
        {
            Flush();
            Begin(_readTimeout);
            try
            {
                if (buffer.Length >= BufferSize)
                {
                    return Received(_socket.Receive(buffer, SocketFlags.None));
                }

                _inputStart = 0;
                _inputEnd = Received(_socket.Receive(_input, SocketFlags.None));
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                throw Failure(ex);
            }
            finally
            {
                End();
            }
        }

        return TakeBuffered(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return read.AsTask();
        }

        // MailKit asks for the same block size again and again: one cached task serves all those calls.
        var n = read.Result;
        return _lastReadTask is { } last && last.Result == n ? last : _lastReadTask = Task.FromResult(n);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_inputStart < _inputEnd || buffer.Length == 0)
        {
            return new ValueTask<int>(TakeBuffered(buffer.Span));
        }

        return ReceiveAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // The client is about to wait for the server: whatever it wrote must be on the wire first.
        await FlushOutputAsync(cancellationToken);
        Begin(_readTimeout);
        try
        {
            if (buffer.Length >= BufferSize)
            {
                return Received(await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken));
            }

            _inputStart = 0;
            _inputEnd = Received(await _socket.ReceiveAsync(_input, SocketFlags.None, cancellationToken));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Failure(ex);
        }
        finally
        {
            End();
        }

        return TakeBuffered(buffer.Span);
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _inputEnd - _inputStart);
        _input.AsSpan(_inputStart, n).CopyTo(destination);
        _inputStart += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_outputLength + buffer.Length > BufferSize)
        {
            Flush();
            if (buffer.Length >= BufferSize)
            {
                SendAll(buffer);
                return;
            }
        }

        buffer.CopyTo(_output.AsSpan(_outputLength));
        _outputLength += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var write = WriteAsync(buffer.AsMemory(offset, count), cancellationToken);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_outputLength + buffer.Length <= BufferSize)
        {
            buffer.Span.CopyTo(_output.AsSpan(_outputLength));
            _outputLength += buffer.Length;
            return ValueTask.CompletedTask;
        }

        return WriteLargeAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteLargeAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await FlushOutputAsync(cancellationToken);
        if (buffer.Length >= BufferSize)
        {
            await SendAllAsync(buffer, cancellationToken);
            return;
        }

        buffer.Span.CopyTo(_output);
        _outputLength = buffer.Length;
    }

    public override void Flush()
    {
        if (_outputLength > 0)
        {
            SendAll(_output.AsSpan(0, _outputLength));
            _outputLength = 0;
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _outputLength == 0 ? Task.CompletedTask : FlushOutputAsync(cancellationToken).AsTask();

    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        if (_outputLength > 0)
        {
            await SendAllAsync(_output.AsMemory(0, _outputLength), cancellationToken);
            _outputLength = 0;
        }
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        Begin(_writeTimeout);
        try
        {
            while (data.Length > 0)
            {
                data = data[_socket.Send(data, SocketFlags.None)..];
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Failure(ex);
        }
        finally
        {
            End();
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Begin(_writeTimeout);
        try
        {
            while (data.Length > 0)
            {
                data = data[await _socket.SendAsync(data, SocketFlags.None, cancellationToken)..];
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Failure(ex);
        }
        finally
        {
            End();
        }
    }

    private void Begin(int timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _busyTimeout = timeout;
        Volatile.Write(ref _busySince, Environment.TickCount64);
    }

    private void End() => Volatile.Write(ref _busySince, 0);

    /// <summary>Runs on the watchdog timer: a call that has waited past its timeout gets the socket closed under it.</summary>
    private void CheckTimeout()
    {
        var since = Volatile.Read(ref _busySince);
        var timeout = _busyTimeout;
        if (since != 0 && timeout != Timeout.Infinite && Environment.TickCount64 - since > timeout)
        {
            _timedOut = true;
            _socket.Dispose();
        }
    }

    private IOException Failure(Exception ex) => _timedOut
        ? new IOException($"the server did not answer for {_busyTimeout / 1000} s", new TimeoutException(ex.Message, ex))
        : new IOException(ex.Message, ex);

    private int CheckTimeoutValue(int value)
    {
        if (value <= 0 && value != Timeout.Infinite)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var shortest = Math.Min(Positive(value), Math.Min(Positive(_readTimeout), Positive(_writeTimeout)));
        var period = shortest == int.MaxValue ? Timeout.Infinite : Math.Clamp(shortest / 4, 250, 5000);
        _watchdog.Change(period, period);
        return value;

        static int Positive(int timeout) => timeout == Timeout.Infinite ? int.MaxValue : timeout;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _watchdog.Dispose();
            if (!_socketOutlivesStream)
            {
                _socket.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
