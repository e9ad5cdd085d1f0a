using System.Globalization;
using System.Text;

namespace Klaviyo.Api;

/// <summary>One condition of Klaviyo's filter syntax, e.g. <c>greater-or-equal(updated_at,2024-08-01T00:00:00Z)</c>.</summary>
public sealed record FilterCondition(string Operator, string Field, object? Value);

/// <summary>
/// Klaviyo's filter language, both ways: the client builds filter strings with it and the
/// sandbox parses them. Conditions are ANDed (by commas or <c>and(…)</c>); strings are quoted,
/// datetimes are not, lists are in brackets.
/// </summary>
public static class KlaviyoFilter
{
    public static string EqualTo(string field, string value) => $"equals({field},{Quote(value)})";
    public static string EqualTo(string field, bool value) => $"equals({field},{(value ? "true" : "false")})";
    public static string Compare(string op, string field, DateTime value) => $"{op}({field},{value.ToUniversalTime():yyyy-MM-ddTHH:mm:ss}Z)";
    public static string And(params string[] conditions) => conditions.Length == 1 ? conditions[0] : $"and({string.Join(',', conditions)})";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <exception cref="FormatException">The text is not a filter.</exception>
    public static IReadOnlyList<FilterCondition> Parse(string text)
    {
        var parser = new Parser(text);
        var conditions = new List<FilterCondition>();
        parser.ParseList(conditions);
        parser.ExpectEnd();
        return conditions;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public void ParseList(List<FilterCondition> into)
        {
            do
            {
                ParseExpression(into);
            } while (TryConsume(','));
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_pos != text.Length)
                throw new FormatException($"Unexpected '{text[_pos]}' at {_pos}.");
        }

        private void ParseExpression(List<FilterCondition> into)
        {
            var op = ReadWhile(c => char.IsAsciiLetterLower(c) || c == '-');
            Expect('(');
            if (op == "and")
            {
                ParseList(into);
                Expect(')');
                return;
            }
            if (op.Length == 0)
                throw new FormatException($"Expected an operator at {_pos}.");
            var field = ReadWhile(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$');
            if (field.Length == 0)
                throw new FormatException($"Expected a field at {_pos}.");
            object? value = null;
            if (TryConsume(','))
                value = ParseValue();
            Expect(')');
            into.Add(new FilterCondition(op, field, value));
        }

        private object? ParseValue()
        {
            SkipSpaces();
            if (_pos >= text.Length)
                throw new FormatException("Expected a value.");
            var c = text[_pos];
            if (c is '"' or '\'')
                return ParseString(c);
            if (c == '[')
            {
                _pos++;
                var items = new List<object?>();
                if (!TryConsume(']'))
                {
                    do
                    {
                        items.Add(ParseValue());
                    } while (TryConsume(','));
                    Expect(']');
                }
                return items;
            }
            var raw = ReadWhile(ch => ch is not (',' or ')' or ']'));
            if (raw is "true" or "false")
                return raw == "true";
            if (raw == "null")
                return null;
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !raw.Contains('-', StringComparison.Ordinal))
                return number;
            if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                return date.UtcDateTime;
            throw new FormatException($"'{raw}' is not a value; strings need quotes.");
        }

        private string ParseString(char quote)
        {
            _pos++;
            var sb = new StringBuilder();
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                    _pos++;
                sb.Append(text[_pos++]);
            }
            Expect(quote);
            return sb.ToString();
        }

        private string ReadWhile(Func<char, bool> accept)
        {
            SkipSpaces();
            var start = _pos;
            while (_pos < text.Length && accept(text[_pos]))
                _pos++;
            return text[start.._pos].Trim();
        }

        private bool TryConsume(char c)
        {
            SkipSpaces();
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
                throw new FormatException($"Expected '{c}' at {_pos}.");
        }

        private void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
                _pos++;
        }
    }
}
