using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Pim;

/// <summary>
/// Where contacts and calendars are in each file layout. ics-vcf: <c>&lt;mailbox&gt;/contacts/**/*.vcf</c> and
/// <c>&lt;mailbox&gt;/calendar/**/*.ics</c>, each subfolder an address book or calendar (the folder itself the default one).
/// Google Takeout: <c>Contacts/&lt;group&gt;/*.vcf</c> (Google Contacts is one list with groups as labels, so every group's
/// file feeds the default address book, each contact once) and <c>Calendar/&lt;calendar&gt;.ics</c> (one file per calendar;
/// the one named by the account's address is the primary calendar), in the mailbox's folder or its <c>Takeout/</c>.
/// </summary>
internal static class PimFileLayouts
{
    public const string ContactsFolder = "contacts";
    public const string CalendarFolder = "calendar";

    public static string Extension(ItemKind kind) => kind == ItemKind.Contacts ? ".vcf" : ".ics";

    public static string FolderName(ItemKind kind) => kind == ItemKind.Contacts ? ContactsFolder : CalendarFolder;

    private static readonly EnumerationOptions CaseInsensitive = new() { MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = FileAttributes.ReparsePoint };

    /// <summary>ics-vcf: every folder under contacts/ (or calendar/) holding files of the kind is a collection named by its relative path.</summary>
    public static IReadOnlyList<FileCollection> IcsVcf(string mailboxRoot, ItemKind kind)
    {
        var top = Path.Combine(mailboxRoot, FolderName(kind));
        if (!Directory.Exists(top))
        {
            return [];
        }

        var collections = new List<FileCollection>();
        foreach (var directory in new[] { top }.Concat(Directory.EnumerateDirectories(top, "*", new EnumerationOptions
                 { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 32 }).Order(StringComparer.Ordinal)))
        {
            var files = Directory.GetFiles(directory, "*" + Extension(kind), CaseInsensitive).Order(StringComparer.Ordinal).ToList();
            var path = directory == top ? PimCollection.DefaultPath : Path.GetRelativePath(top, directory).Replace(Path.DirectorySeparatorChar, '/');
            if (files.Count > 0 || path.Length == 0)
            {
                collections.Add(new FileCollection(new PimCollection(kind, path) { NativeName = directory }, files));
            }
        }

        return collections;
    }

    /// <summary>
    /// readpst's output for a PST (<c>-e</c> writes contacts as vCard 3.0 <c>N.vcf</c> and appointments as <c>N.ics</c> in the
    /// folder they were in): every folder holding such files is a collection named by its path; the one folder of its kind,
    /// or the one named Contacts (Calendar), is the default one.
    /// </summary>
    public static IReadOnlyList<FileCollection> Pst(string root, ItemKind kind)
    {
        var folders = new[] { root }.Concat(Directory.EnumerateDirectories(root, "*", new EnumerationOptions
                { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 64 }))
            .Select(directory => (Directory: directory, Files: Directory.GetFiles(directory, "*" + Extension(kind), CaseInsensitive).OrderBy(NumberOf).ToList()))
            .Where(folder => folder.Files.Count > 0)
            .OrderBy(folder => folder.Directory, StringComparer.Ordinal)
            .ToList();
        var standard = kind == ItemKind.Contacts ? "Contacts" : "Calendar";
        var defaultFolder = folders.Count == 1 ? folders[0].Directory
            : folders.Select(f => f.Directory).FirstOrDefault(d => string.Equals(Path.GetFileName(d), standard, StringComparison.OrdinalIgnoreCase));
        return [.. folders.Select(folder => new FileCollection(
            new PimCollection(kind, folder.Directory == defaultFolder ? PimCollection.DefaultPath : Path.GetRelativePath(root, folder.Directory).Replace(Path.DirectorySeparatorChar, '/'))
            {
                NativeName = folder.Directory,
                DisplayName = Path.GetFileName(folder.Directory),
            },
            folder.Files))];
    }

    /// <summary>readpst numbers the items of a folder 1, 2, ...: in that order, not 1, 10, 11, 2.</summary>
    private static long NumberOf(string file) => long.TryParse(Path.GetFileNameWithoutExtension(file), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue;

    /// <summary>Google Takeout, beside the mail mbox.</summary>
    public static IReadOnlyList<FileCollection> Takeout(string mailboxRoot, string address, ItemKind kind)
    {
        var top = new[] { mailboxRoot, Path.Combine(mailboxRoot, "Takeout") }
            .Select(root => Path.Combine(root, kind == ItemKind.Contacts ? "Contacts" : "Calendar"))
            .FirstOrDefault(Directory.Exists);
        if (top is null)
        {
            return [];
        }

        if (kind == ItemKind.Contacts)
        {
            var files = Directory.GetFiles(top, "*.vcf", new EnumerationOptions
                { MatchCasing = MatchCasing.CaseInsensitive, RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 4 });
            return [new FileCollection(new PimCollection(kind, PimCollection.DefaultPath) { NativeName = top, DisplayName = "Contacts" }, [.. files.Order(StringComparer.Ordinal)])];
        }

        return [.. Directory.GetFiles(top, "*.ics", CaseInsensitive).Order(StringComparer.Ordinal).Select(file =>
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var primary = string.Equals(name, address, StringComparison.OrdinalIgnoreCase) || string.Equals(name, MailboxFileNames.Encode(address), StringComparison.OrdinalIgnoreCase);
            return new FileCollection(new PimCollection(kind, primary ? PimCollection.DefaultPath : name) { NativeName = file, DisplayName = name }, [file]);
        })];
    }
}
