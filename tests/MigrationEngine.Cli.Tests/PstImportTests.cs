using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>PST files (the public samples in ../shared/data/pst) imported through readpst into a Maildir by apply.</summary>
[Trait("Category", "Server")]
public sealed class PstImportTests
{
    private static string SampleFolder
    {
        get
        {
            var beside = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pst"));
            return Directory.Exists(beside) ? beside : "/work/shared/data/pst";
        }
    }

    [Fact]
    public async Task Pst_files_import_with_folders_and_a_protected_one_fails_alone_with_a_clear_error()
    {
        Assert.True(File.Exists("/usr/bin/readpst"), "readpst is missing: install the Debian package pst-utils");
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("pst"));
        File.Copy(Path.Combine(SampleFolder, "ruby-msg_attachAndInline.pst"), temp.Combine("pst", "ellen@contoso.com.pst"));
        File.Copy(Path.Combine(SampleFolder, "java-libpst_dist-list.pst"), temp.Combine("pst", "tom@contoso.com.pst"));
        File.Copy(Path.Combine(SampleFolder, "java-libpst_passworded.pst"), temp.Combine("pst", "locked@contoso.com.pst"));
        File.WriteAllText(temp.Combine("plan.yaml"), """
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: pst-local
            spec:
              sources:
                archives:
                  type: pst
                  path: pst
              targets:
                local:
                  type: maildir
                  path: out
              mailboxSets:
                owners:
                  mailboxes:
                    - source: ellen@contoso.com
                      target: ellen@contoso.com
                    - source: tom@contoso.com
                      target: tom@contoso.com
                    - source: locked@contoso.com
                      target: locked@contoso.com
              migrations:
                - name: pst-import
                  type: pst
                  from: archives
                  to: local
                  mailboxSets: [owners]
            """);

        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Equal(1, first.ExitCode);
        Assert.Matches(@"ellen@contoso\.com\s+ok\s+1 copied", first.Out);
        Assert.Matches(@"tom@contoso\.com\s+ok", first.Out);
        Assert.Matches(@"locked@contoso\.com\s+FAILED", first.Out);
        Assert.Contains("MIG0813", first.Error, StringComparison.Ordinal);
        Assert.Contains("MIG0812", first.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", first.All, StringComparison.Ordinal);
        Assert.NotEmpty(Corpus.HashMaildirTree(temp.Combine("out", "ellen@contoso.com")));

        var second = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Contains("Copied 0 messages", second.Out, StringComparison.Ordinal);
    }
}
