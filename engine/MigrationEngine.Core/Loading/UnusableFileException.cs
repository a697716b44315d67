
namespace MigrationEngine.Core.Loading;

/// <summary>A named file is not a regular file within its size limit; the message says why, never what it holds.</summary>
public sealed class UnusableFileException(string reason) : IOException(reason);
