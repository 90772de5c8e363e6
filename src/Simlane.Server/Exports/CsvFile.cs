using System.Globalization;
using System.Text;
using Simlane.Core.Errors;

namespace Simlane.Server.Exports;

/// <summary>
/// Builds an export's CSV in memory: UTF-8 with a BOM (as SORACOM's CSV files), CRLF line ends, fields
/// quoted when they hold a comma, quote, CR or LF (RFC 4180). Past <see cref="MaxBytes"/> it stops with
/// 400 FIL0002 instead of growing without bound.
/// </summary>
public sealed class CsvFile : IDisposable
{
    /// <summary>The default bound of one export (docs/exports.md; <see cref="ExportOptions.MaxBytes"/>).</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    private readonly MemoryStream stream = new();
    private readonly StreamWriter writer;
    private readonly int maxBytes;

    public CsvFile(IEnumerable<string> header, int maxBytes = MaxBytes)
    {
        this.maxBytes = maxBytes;
        writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = "\r\n" };
        Row(header);
    }

    public int Rows { get; private set; } = -1;

    public void Row(IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            writer.Write(Quote(field ?? ""));
        }

        writer.WriteLine();
        writer.Flush();
        Rows++;
        if (stream.Length > maxBytes)
        {
            throw new SimlaneException(ErrorCodes.ExportTooLarge, $"The export exceeds the limit of {maxBytes} bytes (Simlane:Exports:MaxBytes); narrow the period or the period unit");
        }
    }

    public byte[] ToArray()
    {
        writer.Flush();
        return stream.ToArray();
    }

    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An amount without trailing zeros, invariant culture (<c>11</c>, <c>0.07</c>).</summary>
    public static string Number(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static string Quote(string field)
    {
        field = Defused(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// A text a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return and
    /// is not a plain number) gets a leading apostrophe, as OWASP advises against CSV injection; numbers and
    /// every other value are written as they are.
    /// </summary>
    public static string Defused(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
            ? "'" + field
            : field;
}
