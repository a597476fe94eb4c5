using System.Globalization;
using System.Text;

namespace Certus.Data.Search;

/// <summary>
/// Text prepared for full-text search on both databases the way Lucene's CJK analyzer does it: Chinese,
/// Japanese and Korean runs become overlapping bigrams ("核心网络" → "核心 心网 网络"), other words are
/// lower-cased. Searching "网络" then finds "核心网络交换机故障" on SQLite FTS5 and PostgreSQL alike.
/// </summary>
public static class SearchText
{
    /// <summary>The document form: tokens separated by spaces, ready for FTS5 or to_tsvector('simple', …).</summary>
    public static string Document(params string?[] parts)
    {
        var tokens = new List<string>();
        foreach (var part in parts)
        {
            if (!string.IsNullOrEmpty(part))
            {
                tokens.AddRange(Tokens(part).Select(t => t.Text));
            }
        }
        return string.Join(' ', tokens);
    }

    /// <summary>An FTS5 MATCH expression: every token must occur; Latin words and single CJK characters match as prefixes.</summary>
    public static string? Fts5Query(string query)
    {
        var tokens = Tokens(query).ToList();
        return tokens.Count == 0
            ? null
            : string.Join(" AND ", tokens.Select(t => $"\"{t.Text}\"" + (t.Prefix ? "*" : "")));
    }

    /// <summary>A PostgreSQL to_tsquery('simple', …) expression with the same meaning as <see cref="Fts5Query"/>.</summary>
    public static string? TsQuery(string query)
    {
        var tokens = Tokens(query).ToList();
        return tokens.Count == 0
            ? null
            : string.Join(" & ", tokens.Select(t => $"'{t.Text}'" + (t.Prefix ? ":*" : "")));
    }

    private readonly record struct Token(string Text, bool Prefix);

    private static IEnumerable<Token> Tokens(string text)
    {
        var word = new StringBuilder();
        var cjk = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                foreach (var t in FlushWord(word))
                {
                    yield return t;
                }
                cjk.Append(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                foreach (var t in FlushCjk(cjk))
                {
                    yield return t;
                }
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                foreach (var t in FlushWord(word).Concat(FlushCjk(cjk)))
                {
                    yield return t;
                }
            }
        }
        foreach (var t in FlushWord(word).Concat(FlushCjk(cjk)))
        {
            yield return t;
        }
    }

    private static IEnumerable<Token> FlushWord(StringBuilder word)
    {
        if (word.Length == 0)
        {
            yield break;
        }
        var text = word.ToString();
        word.Clear();
        yield return new Token(text, Prefix: true);
    }

    private static IEnumerable<Token> FlushCjk(StringBuilder run)
    {
        if (run.Length == 0)
        {
            yield break;
        }
        var chars = StringInfo.GetTextElementEnumerator(run.ToString());
        var elements = new List<string>();
        while (chars.MoveNext())
        {
            elements.Add(chars.GetTextElement());
        }
        run.Clear();
        if (elements.Count == 1)
        {
            yield return new Token(elements[0], Prefix: true);
            yield break;
        }
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            yield return new Token(elements[i] + elements[i + 1], Prefix: false);
        }
    }

    private static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x4E00 and <= 0x9FFF => true,   // CJK unified ideographs
        >= 0x3400 and <= 0x4DBF => true,   // extension A
        >= 0x20000 and <= 0x2A6DF => true, // extension B
        >= 0xF900 and <= 0xFAFF => true,   // compatibility ideographs
        >= 0x3040 and <= 0x30FF => true,   // hiragana, katakana
        >= 0xAC00 and <= 0xD7AF => true,   // hangul syllables
        _ => false,
    };
}
