using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>Checks of a migration that reads Gmail (IMAP with preset gmail): what its folder rules leave out.</summary>
internal static class GmailPlanChecks
{
    public const string AllMail = "[Gmail]/All Mail";

    /// <summary>
    /// MIG0260: folder rules that leave out [Gmail]/All Mail leave out the mail archived in Gmail (it is in no other folder).
    /// Said where the plan does it, so that a reviewer sees it in the pull request, not after the run.
    /// </summary>
    public static void Check(DiagnosticBag diagnostics, string file, YamlTreeMapping migration, string name, EndpointDefinition? source)
    {
        if (source is not { Type: EndpointType.Imap, Preset: ImapPresetName.Gmail } || migration.GetMapping("folders") is not { } folders)
        {
            return;
        }

        var rules = new FolderRules
        {
            Include = Binding.PlanBinder.Strings(folders.GetSequence("include")),
            Exclude = Binding.PlanBinder.Strings(folders.GetSequence("exclude")),
        };
        if (new FolderRulesMatcher(rules).IsIncluded(AllMail))
        {
            return;
        }

        // The exclude pattern that takes All Mail out, else the include list that leaves it out.
        YamlTreeNode at = folders.GetSequence("exclude")?.Items.Select(item => item.Value).OfType<YamlTreeScalar>()
                .FirstOrDefault(pattern => FolderRulesMatcher.ToRegex(pattern.Value).IsMatch(AllMail))
            ?? (YamlTreeNode?)folders.GetSequence("include") ?? folders;
        diagnostics.Add(Diagnose.GmailArchiveExcluded(new SourceLocation(file, at.Line, at.Column),
            name,
            hint: $"to keep archived mail, let the folder rules include '{AllMail}' (it goes to the target's Archive folder, or where folders.map sends it)"));
    }
}
