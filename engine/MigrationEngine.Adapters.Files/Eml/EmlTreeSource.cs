using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Eml;

/// <summary>
/// A tree of .eml files on disk (<c>type: eml</c>). A message's id is its path under the root, so any instance opened for
/// the mailbox reads a listed message without a listing of its own: a large folder is copied in ranges on several readers.
/// (A PST's tree is the private conversion of one instance, so <see cref="Pst.PstSource"/> stays one reader.)
/// </summary>
internal sealed class EmlTreeSource(string root) : EmlSource(root), IRangeFetchSource;
