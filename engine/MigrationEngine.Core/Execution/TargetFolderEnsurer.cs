
namespace MigrationEngine.Core.Execution;

/// <summary>
/// The ensure-folders step of one mailbox, run on the first pair's target while the other pairs already copy: a folder is
/// ready for the copy as soon as it exists in the target (<see cref="MailboxRun.TargetFolders"/> holds it), so the folders
/// the target has, INBOX first among them, are copied while the missing ones are created. Over a link with latency the
/// creations were the longest wait of a first copy: each costs the server's CREATE, the LIST MailKit sends after it and a
/// SUBSCRIBE, one folder after another (33 of the 125 round trips of the 2,000-message benchmark at 100 ms).
/// </summary>
/// <remarks>
/// The creations stay on one connection, one after another, parents first: Dovecot's mailbox list index can leave a folder
/// out of the LIST right after its CREATE when another session of the same user creates one at the same moment, and again
/// for a while after (seen when this step ran on four connections). The other pairs only open and append to folders that
/// exist already. Among folders of one depth the largest is created first, so the copy that takes longest starts first.
/// </remarks>
internal sealed class TargetFolderEnsurer
{
    private readonly MailboxRun _mailboxRun;
    private readonly object _gate = new();
    private Action? _folderReady;

    private TargetFolderEnsurer(MailboxRun mailboxRun) => _mailboxRun = mailboxRun;

    /// <summary>Completes when every folder exists in the target; faults with the creation's failure.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>True once the folder exists in the target (created by this step or found there).</summary>
    public bool IsReady(FolderAssignment assignment) => _mailboxRun.TargetFolders.ContainsKey(assignment.TargetPath);

    /// <summary>Starts ensuring the folders of <paramref name="assignments"/> on <paramref name="primary"/>'s target.</summary>
    public static TargetFolderEnsurer Start(MailboxRun mailboxRun, ConnectionPair primary, IReadOnlyList<FolderAssignment> assignments, RetryPipeline retry,
        CancellationToken cancellationToken)
    {
        var ensurer = new TargetFolderEnsurer(mailboxRun);
        ensurer.Completion = Task.Run(() => ensurer.EnsureAllAsync(primary, assignments, retry, cancellationToken), cancellationToken);
        return ensurer;
    }

    /// <summary>
    /// Calls <paramref name="ready"/> after each folder becomes ready (and once at once, for any that became ready before).
    /// </summary>
    public void OnFolderReady(Action ready)
    {
        lock (_gate)
        {
            _folderReady += ready;
        }

        ready();
    }

    /// <summary>Parents before their children; among folders of one depth, the largest first, then by name.</summary>
    internal static IReadOnlyList<FolderAssignment> CreationOrder(IEnumerable<FolderAssignment> assignments) =>
        [.. assignments
            .OrderBy(a => a.TargetPath.Count(c => c == '/'))
            .ThenByDescending(a => a.Source.MessageCount ?? 0)
            .ThenBy(a => a.TargetPath, StringComparer.Ordinal)];

    private async Task EnsureAllAsync(ConnectionPair primary, IReadOnlyList<FolderAssignment> assignments, RetryPipeline retry, CancellationToken cancellationToken)
    {
        foreach (var assignment in CreationOrder(assignments))
        {
            if (_mailboxRun.TargetFolders.ContainsKey(assignment.TargetPath))
            {
                continue;
            }

            _mailboxRun.TargetFolders[assignment.TargetPath] = await retry.ExecuteAsync(
                async ct =>
                {
                    await primary.OpenTargetAsync(ct);
                    return await primary.Target!.EnsureFolderAsync(assignment.TargetPath, assignment.SpecialUse, ct);
                },
                cancellationToken);
            Action? ready;
            lock (_gate)
            {
                ready = _folderReady;
            }

            ready?.Invoke();
        }
    }
}
