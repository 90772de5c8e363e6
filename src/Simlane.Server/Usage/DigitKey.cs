namespace Simlane.Server.Usage;

/// <summary>
/// A string as a dictionary key that compares and hashes a string of up to 17 decimal digits (every IMSI) as a number: a lookup in
/// a table of a million IMSIs (the <see cref="ImsiDirectory"/>, the <see cref="UsageOverlay"/>'s units) then reads the entry only,
/// not the stored string as well (a cache miss each; profiled at ~8 % of ingest's CPU). Other strings compare as strings.
/// </summary>
internal readonly struct DigitKey : IEquatable<DigitKey>
{
    private readonly long number;

    public DigitKey(string value)
    {
        Value = value;
        number = Number(value);
    }

    public string Value { get; }

    public static implicit operator DigitKey(string value) => new(value);

    /// <summary>The digits' value shifted left by five, plus their count (so leading zeros count); 0 if not 1 to 17 digits.</summary>
    private static long Number(string value)
    {
        if (value.Length is 0 or > 17)
        {
            return 0;
        }

        long n = 0;
        foreach (var c in value)
        {
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                return 0;
            }

            n = (n * 10) + digit;
        }

        return (n << 5) | (long)value.Length;
    }

    public bool Equals(DigitKey other) =>
        number != 0 || other.number != 0 ? number == other.number : string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DigitKey other && Equals(other);

    public override int GetHashCode() => number != 0 ? (int)(number ^ (number >> 29)) : StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;

    public static bool operator ==(DigitKey left, DigitKey right) => left.Equals(right);

    public static bool operator !=(DigitKey left, DigitKey right) => !left.Equals(right);
}
