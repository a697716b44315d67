namespace MigrationEngine.TestSupport;

/// <summary>
/// The plan YAML several test projects write by hand, as templates: the plan a test starts from, with the few parts tests
/// vary as arguments (a test that needs another shape edits the text or writes its own). The texts are the ones the tests
/// wrote before, so line numbers the tests assert on stay where they were.
/// </summary>
public static class PlanYaml
{
    /// <summary>Two mailboxes, ann and bob of contoso.test, moving to fabrikam.test (the <c>mailboxes</c> block of a set).</summary>
    public const string AnnAndBob = "        - source: ann@contoso.test\n          target: ann@fabrikam.test\n        - source: bob@contoso.test\n          target: bob@fabrikam.test\n";

    /// <summary>Ann alone, as in <see cref="AnnAndBob"/>.</summary>
    public const string AnnOnly = "        - source: ann@contoso.test\n          target: ann@fabrikam.test\n";

    /// <summary>
    /// An import from files into a Maildir: source <c>src</c> of <paramref name="sourceType"/> at <paramref name="sourcePath"/>,
    /// target <c>dst</c>, set <c>users</c> with each address as its own source and target, one migration (<c>copy</c>), and
    /// <paramref name="extraMigration"/> after it (YAML at the migrations' indentation).
    /// </summary>
    public static string FileImport(string name, string sourceType, string sourcePath, string targetPath, IEnumerable<string> mailboxes,
        string extraMigration = "", string migration = "copy") => $"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: {name}
        spec:
          sources:
            src:
              type: {sourceType}
              path: {sourcePath}
          targets:
            dst:
              type: maildir
              path: {targetPath}
          mailboxSets:
            users:
              mailboxes:
        {string.Concat(mailboxes.Select(m => $"        - source: {m}\n          target: {m}\n"))}  migrations:
            - name: {migration}
              type: import
              from: src
              to: dst
              mailboxSets: [users]
        {extraMigration}
        """;

    /// <summary>
    /// An IMAP migration into a Maildir (source <c>imap</c>, target <c>local</c>, set <c>users</c>, migration <c>mail</c>),
    /// the plan the diff tests change one part of at a time: <paramref name="mailboxes"/> is the users set's block
    /// (<see cref="AnnAndBob"/>), <paramref name="extraSets"/> more sets after it, <paramref name="options"/> spec lines before
    /// the sources.
    /// </summary>
    public static string ImapToMaildir(
        string name = "wave1",
        string host = "imap.contoso.test",
        string password = "env:IMAP_PASSWORD",
        string mailboxes = AnnAndBob,
        string extraSets = "",
        string sets = "[users]",
        string filters = "since: 2020-01-01",
        string options = "") => $"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: {name}
        spec:
        {options}  sources:
            imap:
              type: imap
              host: {host}
              port: 993
              tls: implicit
              auth:
                username: "{"{mailbox}"}"
                password: {password}
          targets:
            local:
              type: maildir
              path: out/maildir
          mailboxSets:
            users:
              mailboxes:
        {mailboxes}{extraSets}  migrations:
            - name: mail
              type: imap
              from: imap
              to: local
              mailboxSets: {sets}
              filters:
                {filters}
        """;
}
