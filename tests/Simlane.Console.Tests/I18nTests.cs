using System.Text.Json;
using System.Text.RegularExpressions;

namespace Simlane.Console.Tests;

/// <summary>Every label and message exists in English and Japanese: the same keys in both, none empty, and every key the pages name.</summary>
public sealed partial class I18nTests
{
    private static readonly string ConsoleRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Simlane.Server", "wwwroot", "console"));

    public static TheoryData<string> Areas() => [.. Directory.GetFiles(Path.Combine(ConsoleRoot, "i18n", "en"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    private static Dictionary<string, string> Load(string language, string area) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(ConsoleRoot, "i18n", language, $"{area}.json")))!;

    [Theory]
    [MemberData(nameof(Areas))]
    public void EnglishAndJapanese_HaveTheSameKeys_AndNoEmptyValue(string area)
    {
        var en = Load("en", area);
        var ja = Load("ja", area);
        en.Keys.Except(ja.Keys).ShouldBeEmpty($"keys of {area} missing in ja");
        ja.Keys.Except(en.Keys).ShouldBeEmpty($"keys of {area} missing in en");
        en.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key).ShouldBeEmpty($"empty en values in {area}");
        ja.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key).ShouldBeEmpty($"empty ja values in {area}");
        en.Keys.Where(k => !k.StartsWith(area + ".", StringComparison.Ordinal) && area != "common").ShouldBeEmpty($"keys of {area} must start with '{area}.'");
    }

    [Fact]
    public void BothLanguages_HaveTheSameAreas()
    {
        static string[] Files(string language) => [.. Directory.GetFiles(Path.Combine(ConsoleRoot, "i18n", language), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
        Files("ja").ShouldBe(Files("en"));
    }

    [Fact]
    public void EveryLiteralKeyTheConsoleUses_Exists()
    {
        var keys = Directory.GetFiles(Path.Combine(ConsoleRoot, "i18n", "en"), "*.json")
            .SelectMany(f => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(f))!.Keys)
            .ToHashSet(StringComparer.Ordinal);
        var sources = Directory.GetFiles(ConsoleRoot, "*.js", SearchOption.AllDirectories).Append(Path.Combine(ConsoleRoot, "index.html"));
        var missing = sources
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .Where(x => !keys.Contains(x.Key))
            .Select(x => $"{x.File}: {x.Key}")
            .Distinct()
            .ToList();
        missing.ShouldBeEmpty();
    }

    // t('area.key'), 'data-i18n': 'area.key' and data-i18n="area.key" with a literal key.
    [GeneratedRegex("""(?:\bt\(\s*'|'data-i18n(?:-placeholder|-title)?':\s*'|data-i18n(?:-placeholder|-title)?=")(?<key>[a-zA-Z]+\.[a-zA-Z0-9_.]+)['"]""")]
    private static partial Regex LiteralKey();
}
