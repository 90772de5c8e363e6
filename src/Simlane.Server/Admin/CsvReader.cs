using System.Text;

namespace Simlane.Server.Admin;

/// <summary>One CSV record: the 1-based line it starts on, its fields, or why it could not be read.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas, line
/// breaks and doubled quotes (<c>""</c>); CRLF or LF line ends; a leading UTF-8 BOM is ignored.
/// A malformed record (text after a closing quote, a quote never closed) is returned with an
/// <see cref="CsvRecord.Error"/> instead of stopping the whole file.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var startLine = 1;
        string? error = null;
        var quoted = false;       // inside a quoted field
        var wasQuoted = false;    // the current field was quoted and its closing quote was seen
        var any = false;          // the current record has any content

        int c;
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read();
        }

        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        wasQuoted = true;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    any = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                case '\r':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(startLine, fields, error);
                    }

                    fields = [];
                    field.Clear();
                    error = null;
                    wasQuoted = false;
                    any = false;
                    line++;
                    startLine = line;
                    break;
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = true;
                    any = true;
                    break;
                default:
                    if (wasQuoted)
                    {
                        error ??= "unexpected text after a closing quote";
                    }

                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            error ??= "a quoted field is never closed";
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(startLine, fields, error);
        }
    }
}
