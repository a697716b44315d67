using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;
using Mono.Unix.Native;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// Writes a Maildir++ mailbox. Each message is written to <c>tmp/</c> and renamed into <c>cur/</c>: the rename is
/// the commit, so a killed process leaves at most a file in <c>tmp/</c>, which no reader takes for a message.
/// No fsync per message: a migration is re-run from the ledger, and the dedup keys find what was written.
/// </summary>
public sealed class MaildirTarget : IMailTarget, IFolderCountTarget, IFingerprintTarget
{
    private const int CopyBufferSize = 1024 * 1024;
    private static readonly string[] MessageDirectories = ["cur", "new"];
    private static readonly string Host = SafeHostName();
    private static readonly int ProcessId = Environment.ProcessId;
    private static long _counter;

    private readonly string _root;
    private readonly Serilog.ILogger? _logger;
    private readonly ConcurrentDictionary<string, DovecotKeywords> _keywords = new(StringComparer.Ordinal);

    private MaildirTarget(string root, Serilog.ILogger? logger)
    {
        _root = root;
        _logger = logger;
    }

    public long? MaxMessageSize => null;

    /// <summary>The mailbox root (INBOX).</summary>
    public string Root => _root;

    /// <summary>Opens (creating when missing) the Maildir++ mailbox at <paramref name="root"/>.</summary>
    public static MaildirTarget Open(string root, Serilog.ILogger? logger = null)
    {
        CreateMaildir(root, isSubfolder: false);
        return new MaildirTarget(root, logger);
    }

    public Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directoryName = MaildirNames.ToDirectoryName(path, specialUse);
        if (directoryName.Length > 0)
        {
            // INBOX is the root, which Open made a Maildir when this run opened the target (each run opens its own, so a
            // root removed between runs is made again): making it again here cost 3 mkdir failing with EEXIST and 3 stat
            // calls per mailbox.
            CreateMaildir(Path.Combine(_root, directoryName), isSubfolder: true);
        }

        var folderPath = directoryName.Length == 0 ? FolderNames.Inbox : MaildirNames.FromDirectoryName(directoryName);
        var use = directoryName.Length == 0 ? SpecialUse.Inbox : specialUse;
        return Task.FromResult(new TargetFolder(folderPath, directoryName, use));
    }

    /// <summary>Files in <c>cur/</c> and <c>new/</c>, without opening them (the files <see cref="ListMessageKeysAsync"/> reads).</summary>
    public Task<IReadOnlyDictionary<string, int>> CountMessagesAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            counts[folder.Path] = DirectoryListing.CountMaildirMessages(DirectoryOf(folder));
        }

        return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
    }

    public async Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken) =>
        (await ListMessageFingerprintsAsync(folder, cancellationToken)).Select(message => message.DedupKey).ToList();

    /// <summary>Each file's key, its length and its time (the internal date it was written with, see AppendAsync).</summary>
    public Task<IReadOnlyList<TargetMessage>> ListMessageFingerprintsAsync(TargetFolder folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var directory = DirectoryOf(folder);
        var keys = new List<TargetMessage>();
        foreach (var sub in MessageDirectories)
        {
            foreach (var file in DirectoryListing.FilesOrNone(Path.Combine(directory, sub)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Path.GetFileName(file).StartsWith('.'))
                {
                    continue;
                }

                try
                {
                    var key = MessageHeaders.ReadFromFile(file).DedupKey;
                    var info = new FileInfo(file);
                    keys.Add(new TargetMessage(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)));
                }
                catch (FileNotFoundException)
                {
                    // Renamed by a concurrent flag change: it is found again under its new name on the next pass.
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw FileErrors.ReadFailed(file, error);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<TargetMessage>>(keys);
    }

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(messages);
        var directory = DirectoryOf(folder);
        var keywords = _keywords.GetOrAdd(directory, DovecotKeywords.Load);
        var results = new List<AppendResult>(messages.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            foreach (var message in messages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(AppendResult.Ok(await AppendOneAsync(directory, keywords, message, buffer, cancellationToken)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return results;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<string> AppendOneAsync(string directory, DovecotKeywords keywords, MessageContent message, byte[] buffer, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var unique = string.Create(CultureInfo.InvariantCulture,
            $"{now.ToUnixTimeSeconds()}.M{now.Ticks / 10 % 1_000_000}P{ProcessId}Q{Interlocked.Increment(ref _counter)}.{Host}");
        var temporary = Path.Combine(directory, "tmp", unique);
        try
        {
            long size = 0;
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                int read;
                while ((read = await message.Content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    RandomAccess.Write(handle, buffer.AsSpan(0, read), size);
                    size += read;
                }

                var date = message.Summary.InternalDate ?? now;
                File.SetLastWriteTimeUtc(handle, date.UtcDateTime);
            }

            string letters;
            lock (keywords)
            {
                letters = keywords.LettersFor(message.Summary.Keywords, out var dropped);
                if (dropped.Count > 0)
                {
                    _logger?.Warning("Maildir {Directory} holds 26 keywords already; keywords {Keywords} of message {SourceId} are not kept",
                        directory, dropped, message.Summary.SourceId);
                }
            }

            var targetId = string.Create(CultureInfo.InvariantCulture, $"{unique},S={size}");
            var name = targetId + ":2," + MaildirNames.FlagLetters(message.Summary.Flags, letters);
            Deliver(temporary, Path.Combine(directory, "cur", name));
            return targetId;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw FileErrors.WriteFailed(directory, error);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Gives the file written in <c>tmp/</c> its name in <c>cur/</c>, never replacing a file of that name: one rename that
    /// refuses an existing name atomically (<see cref="NoReplaceRename"/>), or where the system or file system has none,
    /// link(2), which fails when the name exists, atomically, then removal of the <c>tmp/</c> name (Maildir's own
    /// delivery). File.Move without overwrite costs three lstat calls before its rename per message, and its check can race
    /// with another writer. A failed unlink leaves the <c>tmp/</c> name behind, as a crash between the two calls would: no
    /// reader takes it for a message. A file system without hard links gets File.Move.
    /// </summary>
    internal static void Deliver(string temporary, string final)
    {
        var renamed = NoReplaceRename.TryRename(temporary, final);
        if (renamed is null)
        {
            return;
        }

        if (renamed is not (Errno.EINVAL or Errno.ENOSYS or Errno.EPERM or Errno.EOPNOTSUPP))
        {
            throw DeliveryFailed(renamed.Value, "rename", temporary, final);
        }

        if (Syscall.link(temporary, final) == 0)
        {
            if (Syscall.unlink(temporary) != 0)
            {
                Debug.WriteLine($"cannot remove {temporary}: {Stdlib.GetLastError()}");
            }

            return;
        }

        var error = Stdlib.GetLastError();
        if (error is Errno.EPERM or Errno.EOPNOTSUPP or Errno.ENOSYS or Errno.EMLINK)
        {
            File.Move(temporary, final);
            return;
        }

        throw DeliveryFailed(error, "link", temporary, final);
    }

    private static IOException DeliveryFailed(Errno error, string call, string temporary, string final) =>
        new(error == Errno.EEXIST
            ? $"'{final}' exists already"
            : $"cannot {call} '{temporary}' to '{final}': {error}", (int)NativeConvert.FromErrno(error));

    private string DirectoryOf(TargetFolder folder) =>
        folder.NativeId.Length == 0 ? _root : Path.Combine(_root, folder.NativeId);

    private static void CreateMaildir(string directory, bool isSubfolder)
    {
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "cur"));
            Directory.CreateDirectory(Path.Combine(directory, "new"));
            Directory.CreateDirectory(Path.Combine(directory, "tmp"));
            var marker = Path.Combine(directory, "maildirfolder");
            if (isSubfolder && !File.Exists(marker))
            {
                File.WriteAllBytes(marker, []);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.WriteFailed(directory, error);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine($"cannot remove {file}: {error.Message}");
        }
    }

    /// <summary>The host part of a Maildir name may not contain '/' or ':' (the Maildir spec's escapes).</summary>
    private static string SafeHostName()
    {
        var host = Environment.MachineName;
        return (host.Length == 0 ? "localhost" : host).Replace("/", @"\057", StringComparison.Ordinal).Replace(":", @"\072", StringComparison.Ordinal);
    }
}
