using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simlane.Server.Usage;

/// <summary>
/// A map from strings to <typeparamref name="TValue"/> for tables of a million IMSIs (the <see cref="ImsiDirectory"/>, the
/// <see cref="UsageOverlay"/>'s subscribers): a string of 1 to 17 decimal digits (every IMSI; <see cref="Number"/>) lives in one
/// open-addressed array whose slot holds the number, the string and the value, so a lookup costs one probe into that array, usually
/// one cache line, where a <see cref="Dictionary{TKey, TValue}"/> reads its bucket array and then its entry array (two misses
/// at this size; profiled at a quarter of ingest's CPU in the fold's additions, issue 14). Other strings go to a dictionary.
/// Not thread-safe; enumeration order is unspecified.
/// </summary>
internal sealed class DigitKeyMap<TValue>
{
    private const int MinCapacity = 16;

    private Slot[] slots;
    private int mask;
    private int shift;
    private int numbered;
    private readonly Dictionary<string, TValue> others = new(StringComparer.Ordinal);

    public DigitKeyMap(int capacity = 0)
    {
        var size = Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity + (capacity / 2))));
        (slots, mask, shift) = (new Slot[size], size - 1, 64 - BitOperations.Log2((uint)size));
    }

    public int Count => numbered + others.Count;

    /// <summary>The value of <paramref name="key"/> by reference, added as default (<paramref name="exists"/> false) when missing; valid until the next addition.</summary>
    public ref TValue GetValueRefOrAddDefault(string key, out bool exists)
    {
        var number = Number(key);
        if (number == 0)
        {
            return ref CollectionsMarshal.GetValueRefOrAddDefault(others, key, out exists)!;
        }

        if ((numbered + 1) * 4L > slots.Length * 3L)
        {
            Grow();
        }

        var i = Home(number);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Number == number)
            {
                exists = true;
                return ref slot.Value;
            }

            if (slot.Number == 0)
            {
                (slot.Number, slot.Key, slot.Value) = (number, key, default!);
                numbered++;
                exists = false;
                return ref slot.Value;
            }

            i = (i + 1) & mask;
        }
    }

    public bool TryGetValue(string key, out TValue value)
    {
        var number = Number(key);
        if (number == 0)
        {
            return others.TryGetValue(key, out value!);
        }

        for (var i = Home(number); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Number == number)
            {
                value = slot.Value;
                return true;
            }

            if (slot.Number == 0)
            {
                value = default!;
                return false;
            }
        }
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>Removes <paramref name="key"/> (backward-shift deletion: no tombstones, so lookups stay one probe run).</summary>
    public bool Remove(string key)
    {
        var number = Number(key);
        if (number == 0)
        {
            return others.Remove(key);
        }

        var i = Home(number);
        while (slots[i].Number != number)
        {
            if (slots[i].Number == 0)
            {
                return false;
            }

            i = (i + 1) & mask;
        }

        // Move back each later slot of the run whose home is not between the hole and it (cyclically).
        var hole = i;
        for (var j = (i + 1) & mask; slots[j].Number != 0; j = (j + 1) & mask)
        {
            var home = Home(slots[j].Number);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = slots[j];
                hole = j;
            }
        }

        slots[hole] = default;
        numbered--;
        return true;
    }

    public void Clear()
    {
        Array.Clear(slots);
        numbered = 0;
        others.Clear();
    }

    /// <summary>Every key and value (the map must not change meanwhile).</summary>
    public IEnumerable<(string Key, TValue Value)> Entries()
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].Number != 0)
            {
                yield return (slots[i].Key, slots[i].Value);
            }
        }

        foreach (var (key, value) in others)
        {
            yield return (key, value);
        }
    }

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

    /// <summary>Fibonacci hashing: the number's bits spread over the index's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long number) => (int)((ulong)number * 0x9E3779B97F4A7C15UL >> shift);

    private void Grow()
    {
        var old = slots;
        var size = old.Length * 2;
        (slots, mask, shift) = (new Slot[size], size - 1, 64 - BitOperations.Log2((uint)size));
        foreach (var slot in old)
        {
            if (slot.Number != 0)
            {
                var i = Home(slot.Number);
                while (slots[i].Number != 0)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = slot;
            }
        }
    }

    private struct Slot
    {
        public long Number;
        public string Key;
        public TValue Value;
    }
}
