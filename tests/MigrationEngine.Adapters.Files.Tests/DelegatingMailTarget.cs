using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>A target that passes every call on to <paramref name="inner"/>: a test overrides the calls it changes.</summary>
internal class DelegatingMailTarget(IMailTarget inner) : IMailTarget
{
    public long? MaxMessageSize => inner.MaxMessageSize;

    public virtual Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken) =>
        inner.EnsureFolderAsync(path, specialUse, cancellationToken);

    public Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken) =>
        inner.ListMessageKeysAsync(folder, cancellationToken);

    public virtual Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken) =>
        inner.AppendAsync(folder, messages, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
