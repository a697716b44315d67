using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>Folder names of file layouts: INBOX's spelling, the special folders by name (<see cref="WellKnownFolderNames"/>), natural order.</summary>
internal static class FolderNames
{
    public const string Inbox = "INBOX";

    /// <summary>The folder for a '/'-separated path: INBOX is spelled "INBOX", a known top-level name gets its role.</summary>
    public static SourceFolder Classify(string path, string nativeName)
    {
        if (!path.Contains('/', StringComparison.Ordinal) && WellKnownFolderNames.Of(path) is var use and not SpecialUse.None)
        {
            return new SourceFolder(use == SpecialUse.Inbox ? Inbox : path, use) { NativeName = nativeName };
        }

        return new SourceFolder(path) { NativeName = nativeName };
    }

    /// <summary>Natural order ("2.eml" before "10.eml"), so that exported message files keep their sequence.</summary>
    public static int CompareNatural(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return string.CompareOrdinal(left, right);
        }

        int i = 0, j = 0;
        while (i < left.Length && j < right.Length)
        {
            if (char.IsAsciiDigit(left[i]) && char.IsAsciiDigit(right[j]))
            {
                var startI = i;
                var startJ = j;
                while (i < left.Length && char.IsAsciiDigit(left[i]))
                {
                    i++;
                }

                while (j < right.Length && char.IsAsciiDigit(right[j]))
                {
                    j++;
                }

                var numberI = left.AsSpan(startI, i - startI).TrimStart('0');
                var numberJ = right.AsSpan(startJ, j - startJ).TrimStart('0');
                var byLength = numberI.Length.CompareTo(numberJ.Length);
                if (byLength != 0)
                {
                    return byLength;
                }

                var byDigits = numberI.SequenceCompareTo(numberJ);
                if (byDigits != 0)
                {
                    return byDigits;
                }

                continue;
            }

            var byChar = left[i].CompareTo(right[j]);
            if (byChar != 0)
            {
                return byChar;
            }

            i++;
            j++;
        }

        return (left.Length - i).CompareTo(right.Length - j);
    }
}
