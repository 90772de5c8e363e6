using Simlane.Server.Usage;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// The IMSI directory's and the overlay's map (issue 14, S74): an open-addressed table for digit strings, a dictionary for the
/// rest. Checked against <see cref="Dictionary{TKey, TValue}"/> through long random runs of additions, updates and removals
/// (removal moves entries back within their probe run, the part that is easy to get wrong).
/// </summary>
public sealed class DigitKeyMapTests
{
    [Fact]
    public void RandomAdditionsUpdatesAndRemovals_AgreeWithADictionary()
    {
        var random = new Random(14);
        var map = new DigitKeyMap<int>();
        var reference = new Dictionary<string, int>(StringComparer.Ordinal);

        // Few distinct keys (so that removals and re-additions meet the same probe runs), IMSI-like and others.
        var keys = Enumerable.Range(0, 3_000).Select(i => i % 10 == 9 ? $"group-{i}" : $"44010{random.NextInt64(1_000_000_000, 9_999_999_999)}").ToArray();
        for (var step = 0; step < 200_000; step++)
        {
            var key = keys[random.Next(keys.Length)];
            switch (random.Next(3))
            {
                case 0:
                    ref var value = ref map.GetValueRefOrAddDefault(key, out var exists);
                    exists.ShouldBe(reference.ContainsKey(key), $"step {step}: {key}");
                    value += step;
                    reference[key] = reference.GetValueOrDefault(key) + step;
                    break;
                case 1:
                    map.Remove(key).ShouldBe(reference.Remove(key), $"step {step}: {key}");
                    break;
                default:
                    map.TryGetValue(key, out var found).ShouldBe(reference.TryGetValue(key, out var expected), $"step {step}: {key}");
                    found.ShouldBe(expected);
                    break;
            }

            map.Count.ShouldBe(reference.Count);
        }

        map.Entries().OrderBy(e => e.Key, StringComparer.Ordinal).ShouldBe(reference.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)));
    }

    [Fact]
    public void RemovingEveryKeyInTurn_LeavesEveryOtherKeyFindable()
    {
        // A full table (load up to three quarters before it grows) has long probe runs, some wrapping past the array's end.
        var keys = Enumerable.Range(0, 24).Select(i => (440100000000000L + (i * 7919L)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var order in new[] { keys, Enumerable.Reverse(keys).ToList(), keys.Where((_, i) => i % 2 == 0).Concat(keys.Where((_, i) => i % 2 == 1)).ToList() })
        {
            var map = new DigitKeyMap<string>();
            foreach (var key in keys)
            {
                map.GetValueRefOrAddDefault(key, out _) = $"v{key}";
            }

            var left = new HashSet<string>(keys);
            foreach (var key in order)
            {
                map.Remove(key).ShouldBeTrue();
                map.Remove(key).ShouldBeFalse("removed already");
                left.Remove(key);
                foreach (var other in left)
                {
                    map.TryGetValue(other, out var value).ShouldBeTrue($"{other} after removing {key}");
                    value.ShouldBe($"v{other}");
                }

                map.Count.ShouldBe(left.Count);
            }
        }
    }

    [Fact]
    public void LeadingZerosLongStringsAndOtherStrings_AreDistinctKeys()
    {
        var map = new DigitKeyMap<int>(capacity: 4);
        string[] keys = ["1", "01", "001", "0", "00", "123456789012345678", "1234567890123456789", "12345678901234567", "abc", "", "12a"];
        for (var i = 0; i < keys.Length; i++)
        {
            map.GetValueRefOrAddDefault(keys[i], out var exists) = i;
            exists.ShouldBeFalse(keys[i]);
        }

        map.Count.ShouldBe(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            map.TryGetValue(keys[i], out var value).ShouldBeTrue(keys[i]);
            value.ShouldBe(i, keys[i]);
        }

        map.ContainsKey("0001").ShouldBeFalse();
        map.Clear();
        map.Count.ShouldBe(0);
        map.ContainsKey("1").ShouldBeFalse();
        map.ContainsKey("abc").ShouldBeFalse();
        map.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void GrowingFromEmptyToAMillionKeys_KeepsEveryValue()
    {
        var map = new DigitKeyMap<long>();
        for (var i = 0L; i < 1_000_000; i++)
        {
            map.GetValueRefOrAddDefault((440100000000000L + (i * 31)).ToString(System.Globalization.CultureInfo.InvariantCulture), out _) = i;
        }

        map.Count.ShouldBe(1_000_000);
        for (var i = 0L; i < 1_000_000; i += 997)
        {
            map.TryGetValue((440100000000000L + (i * 31)).ToString(System.Globalization.CultureInfo.InvariantCulture), out var value).ShouldBeTrue();
            value.ShouldBe(i);
        }
    }
}
