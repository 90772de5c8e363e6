using System.Reflection;
using System.Text.RegularExpressions;
using Simlane.Core.Errors;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>docs/errors.md is the code catalogue; these tests keep it and <see cref="ErrorCodes"/> in step.</summary>
public sealed partial class ErrorCatalogueTests
{
    private static readonly IReadOnlyList<ErrorCode> Codes = [.. typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)];

    [GeneratedRegex("^[A-Z]{3}[0-9]{4}$")]
    private static partial Regex CodePattern();

    /// <summary>The first cell of each table row: <c>| AUM0001 | 401 | …</c>.</summary>
    [GeneratedRegex(@"^\|\s*([A-Z]{3}[0-9]{4})\s*\|\s*([0-9]{3})\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static Dictionary<string, int> Documented()
    {
        var text = File.ReadAllText(Path.Combine(Spec.RepositoryRoot, "docs", "errors.md"));
        var rows = TableRow().Matches(text).Select(m => (Code: m.Groups[1].Value, Status: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        rows.GroupBy(r => r.Code).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("codes listed twice in docs/errors.md");
        return rows.ToDictionary(r => r.Code, r => r.Status);
    }

    [Fact]
    public void ErrorCodes_AreUniqueAndWellFormed()
    {
        Codes.Count.ShouldBeGreaterThan(0);
        Codes.Where(c => !CodePattern().IsMatch(c.Code)).Select(c => c.Code).ShouldBeEmpty();
        Codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
        Codes.Where(c => c.HttpStatus is < 400 or > 599 || string.IsNullOrWhiteSpace(c.Title)).Select(c => c.Code).ShouldBeEmpty();
    }

    [Fact]
    public void ErrorCodes_AreAllListedInDocsWithTheirStatus()
    {
        var documented = Documented();
        Codes.Where(c => !documented.ContainsKey(c.Code)).Select(c => c.Code).ShouldBeEmpty("codes missing from docs/errors.md");
        Codes.Where(c => documented[c.Code] != c.HttpStatus).Select(c => $"{c.Code}: code says {c.HttpStatus}, docs say {documented[c.Code]}").ShouldBeEmpty();
    }

    [Fact]
    public void ErrorsDoc_ListsOnlyCodesThatExist()
    {
        var known = Codes.Select(c => c.Code).ToHashSet();
        Documented().Keys.Where(code => !known.Contains(code)).ShouldBeEmpty("codes in docs/errors.md that ErrorCodes does not define");
    }
}
