using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Diffing;

/// <summary>Writes plan versions into their own folders and loads them with the real loader.</summary>
internal sealed class DiffPlans : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "me-diff-" + Guid.NewGuid().ToString("N")[..12]);

    public static string Plan(
        string name = "wave1",
        string host = "imap.contoso.test",
        string password = "env:IMAP_PASSWORD",
        string mailboxes = "        - source: ann@contoso.test\n          target: ann@fabrikam.test\n        - source: bob@contoso.test\n          target: bob@fabrikam.test\n",
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

    public PlanModel Load(string label, string yaml, IReadOnlyDictionary<string, string>? files = null)
    {
        var folder = Path.Combine(_root, label);
        Directory.CreateDirectory(folder);
        foreach (var (relative, content) in files ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var planPath = Path.Combine(folder, "plan.yaml");
        File.WriteAllText(planPath, yaml);
        var result = PlanPipeline.Load(planPath, $"{label}/plan.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Select(d => d.ToMsBuildString())));
        return result.Plan!;
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
