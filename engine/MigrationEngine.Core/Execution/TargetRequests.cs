namespace MigrationEngine.Core.Execution;

/// <summary>
/// A target factory that counts the requests it sends (Exchange Online through Graph, where every request counts against
/// the mailbox's budget): the run summary and the run record report them, and requests per copied message.
/// </summary>
public interface IRequestCountingFactory
{
    /// <summary>HTTP requests sent since the factory was created (retries included).</summary>
    long RequestsSent { get; }
}
