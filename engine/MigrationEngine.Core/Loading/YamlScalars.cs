using System.Globalization;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// A plain scalar's type under the YAML 1.2 core schema (<c>on</c>/<c>yes</c> stay strings, quoted scalars are always
/// strings), without Newtonsoft.Json: binding and the rules ask it of every plan, and only schema validation (skipped for
/// a plan text found valid before) needs JSON tokens, so a command that reads a known plan never loads Newtonsoft.Json
/// (its assembly and type set-up were about 10 ms of a no-op apply).
/// </summary>
internal static class YamlScalars
{
    public static YamlScalarType TypeOf(YamlTreeScalar scalar) => Classify(scalar, out _, out _);

    /// <summary>The value of a <see cref="YamlScalarType.Boolean"/> scalar.</summary>
    public static bool IsTrue(YamlTreeScalar scalar) => scalar.Value is "true" or "True" or "TRUE";

    /// <summary>The scalar's value when it is a boolean; null for anything else (a quoted "true" is a string).</summary>
    public static bool? AsBoolean(YamlTreeScalar scalar) => TypeOf(scalar) == YamlScalarType.Boolean ? IsTrue(scalar) : null;

    /// <summary>The scalar's type, with its value when it is an integer or a float.</summary>
    public static YamlScalarType Classify(YamlTreeScalar scalar, out long integer, out double number)
    {
        integer = 0;
        number = 0;
        if (!scalar.IsPlain)
        {
            return YamlScalarType.String;
        }

        if (scalar.IsNull)
        {
            return YamlScalarType.Null;
        }

        var text = scalar.Value;
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return YamlScalarType.Boolean;
        }

        if (TryParseInteger(text, out integer))
        {
            return YamlScalarType.Integer;
        }

        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return YamlScalarType.Float;
        }

        return YamlScalarType.String;
    }

    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return text.Length > 2 && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            if (text.Length == 2)
            {
                return false;
            }

            foreach (var c in text.AsSpan(2))
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                value = value * 8 + (c - '0');
            }

            return true;
        }

        var start = text[0] is '-' or '+' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool LooksLikeFloat(string text)
    {
        // YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  (.inf/.nan are not useful in a plan)
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
