using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// Mailbox sets: an inline <c>mailboxes:</c> list, or a <c>csv:</c> file whose rows the Load stage reads here (its path under
/// the one path rule) and <see cref="BindCsvRows()"/> turns into entries once the migrations that use the set are known.
/// </summary>
public sealed partial class PlanBinder
{
    private void BindMailboxSets(YamlTreeMapping? map)
    {
        foreach (var entry in map?.Entries ?? [])
        {
            var node = entry.Value as YamlTreeMapping;
            var set = new BoundMailboxSet(entry.Key.Value, entry.Key, node);
            _plan.Sets[set.Name] = set;
            if (node is null)
            {
                continue;
            }

            var csvEntry = node.FindEntry("csv");
            var list = node.GetSequence("mailboxes");
            if (csvEntry?.Value is YamlTreeScalar { IsNull: false } csvPath)
            {
                var display = CombineDisplay(csvPath.Value);
                var fullPath = PlanFile(csvPath, "csv", PlanFileKind.File);
                set.CsvFullPath = fullPath;
                set.Csv = fullPath is null ? null : CsvMailboxFile.Read(fullPath, display, _diagnostics);
                if (set.Csv is null && fullPath is not null && !File.Exists(fullPath))
                {
                    _diagnostics.Add(Diagnose.CsvMissing(Loc(csvPath), Quote.Cell(display)));
                }

                if (set.Csv is not null)
                {
                    _plan.CsvFiles.Add(set.Csv);
                }
            }
            else if (list is not null)
            {
                BindInlineMailboxes(set, list);
            }
        }
    }

    private void BindInlineMailboxes(BoundMailboxSet set, YamlTreeSequence list)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i].Value is not YamlTreeMapping item)
            {
                continue;
            }

            var path = $"spec.mailboxSets.{set.Name}.mailboxes[{i.ToString(CultureInfo.InvariantCulture)}]";
            var source = CheckedAddress(item.GetScalar("source"));
            var target = CheckedAddress(item.GetScalar("target"));
            var username = item.GetString("username");
            var entry = new MailboxEntry
            {
                SourceAddress = source ?? "",
                TargetAddress = target ?? "",
                Username = username,
                AdminForm = AdminFormOf(username),
                Password = Secret(item, "password", path),
                UserRoot = item.GetString("userRoot"),
                Location = Loc(item),
            };
            if (source is null || target is null)
            {
                continue;
            }

            // A second entry for the same pair would copy the mailbox twice: it is reported and left out.
            var key = source + "\n" + target;
            if (!seen.TryAdd(key, entry.Location))
            {
                _diagnostics.Add(Diagnose.DuplicateMailbox(entry.Location, target, set.Name, seen[key].ToString()));
                continue;
            }

            set.Entries.Add(entry);
        }
    }
}
