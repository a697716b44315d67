using System.Globalization;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// A folder's <c>dovecot-keywords</c> file: line "N name" gives keyword letter 'a'+N. At most 26 keywords
/// fit in a file name; more cannot be stored in a Maildir.
/// </summary>
internal sealed class DovecotKeywords
{
    public const string FileName = "dovecot-keywords";
    private readonly string?[] _names = new string?[26];
    private readonly string _file;

    private DovecotKeywords(string folderDirectory)
    {
        _file = Path.Combine(folderDirectory, FileName);
    }

    public static DovecotKeywords Load(string folderDirectory)
    {
        var keywords = new DovecotKeywords(folderDirectory);
        if (!File.Exists(keywords._file))
        {
            return keywords;
        }

        foreach (var line in File.ReadLines(keywords._file))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0
                && int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index is >= 0 and < 26)
            {
                var name = line[(space + 1)..].Trim();
                if (name.Length > 0)
                {
                    keywords._names[index] = name;
                }
            }
        }

        return keywords;
    }

    public IReadOnlyList<string> Names(string letters) =>
        letters.Select(letter => _names[letter - 'a']).OfType<string>().ToList();

    /// <summary>Letters for the keywords, adding new ones to the file; keywords beyond 26 are returned in <paramref name="dropped"/>.</summary>
    public string LettersFor(IReadOnlyList<string> keywords, out List<string> dropped)
    {
        dropped = [];
        if (keywords.Count == 0)
        {
            return string.Empty;
        }

        var letters = new List<char>(keywords.Count);
        var changed = false;
        foreach (var keyword in keywords)
        {
            var index = Array.FindIndex(_names, name => string.Equals(name, keyword, StringComparison.Ordinal));
            if (index < 0)
            {
                index = Array.IndexOf(_names, null);
                if (index < 0)
                {
                    dropped.Add(keyword);
                    continue;
                }

                _names[index] = keyword;
                changed = true;
            }

            letters.Add((char)('a' + index));
        }

        if (changed)
        {
            Save();
        }

        return new string(letters.ToArray());
    }

    private void Save()
    {
        var lines = _names
            .Select((name, index) => name is null ? null : string.Create(CultureInfo.InvariantCulture, $"{index} {name}"))
            .OfType<string>();
        var temporary = _file + ".tmp";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, _file, overwrite: true);
    }
}
