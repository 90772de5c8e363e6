using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Simlane.Core.Errors;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// Every error has its Japanese text (X-Soracom-Lang: ja): each code a Japanese title, each message thrown in
/// the sources a Japanese template, and docs/errors.md shows the Japanese title of every code.
/// </summary>
public sealed partial class ErrorMessagesTests
{
    private static readonly IReadOnlyList<ErrorCode> Codes = [.. typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)];

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}]")]
    private static partial Regex JapaneseText();

    [Fact]
    public void EveryCode_HasAJapaneseTitle()
    {
        Codes.Where(c => string.IsNullOrWhiteSpace(c.TitleJa) || !JapaneseText().IsMatch(c.TitleJa) || c.TitleJa == c.Title)
            .Select(c => c.Code)
            .ShouldBeEmpty("codes without a Japanese title");
    }

    [Fact]
    public void ErrorsDoc_ShowsTheJapaneseTitleOfEveryCode()
    {
        var lines = File.ReadAllLines(Path.Combine(Spec.RepositoryRoot, "docs", "errors.md"));
        Codes.Where(c => !lines.Any(l => l.StartsWith($"| {c.Code} |", StringComparison.Ordinal) && l.Contains($"| {c.TitleJa} |", StringComparison.Ordinal)))
            .Select(c => $"{c.Code}: {c.TitleJa}")
            .ShouldBeEmpty("rows of docs/errors.md without the code's Japanese title");
    }

    [Fact]
    public void Templates_HaveTheSamePlaceholdersInBothLanguages()
    {
        ErrorMessages.InconsistentTemplates().ShouldBeEmpty();
    }

    /// <summary>
    /// Finds every string literal passed to <c>new SimlaneException(...)</c> (or <c>new(ErrorCodes.X, ...)</c>) under src/, puts a sample value in
    /// each interpolation hole and checks that the message translates: a new message kind without a Japanese
    /// template fails here, naming the message and its file.
    /// </summary>
    [Fact]
    public void EveryMessageThrownInTheSources_HasAJapaneseTemplate()
    {
        var messages = ThrownMessages().ToList();
        messages.Count.ShouldBeGreaterThan(100, "the scan found too few messages; has the constructor changed?");
        messages.Where(m => !ErrorMessages.TryTranslate(m.Message, out _))
            .Select(m => $"{m.File}: \"{m.Message}\"")
            .Distinct()
            .ShouldBeEmpty("messages without a template in src/Simlane.Core/Errors/ErrorMessages.cs");
    }

    [Theory]
    [InlineData("No such SIM", "指定された SIM は存在しません")]
    [InlineData("email is required", "email は必須です")]
    [InlineData("[2].tagName must not be empty", "[2].tagName は空にできません")]
    [InlineData("expiryAction: 'explode' is not one of doNothing, deleteSession", "expiryAction: 'explode' は指定できません。doNothing, deleteSession のいずれかを指定してください")]
    [InlineData("No group 'g-1'", "グループ 'g-1' は存在しません")]
    [InlineData("limit: must be an integer from 1 to 100, not '0'", "limit: 1 から 100 までの整数を指定してください ('0' は指定できません)")]
    [InlineData("Cannot change status from ready to terminated: Termination protection is on; call enable_termination first",
        "ステータスを ready から terminated に変更できません: 解約保護が有効です。先に enable_termination を呼び出してください")]
    [InlineData("actionConfigList[0].properties.executionOffsetMinutes: must be an integer from 0 to 525600 (ChangeSpeedClassAction)",
        "actionConfigList[0].properties.executionOffsetMinutes: 0 から 525600 までの整数を指定してください (ChangeSpeedClassAction)")]
    public void Translate_KeepsFieldsAndValues(string english, string japanese)
    {
        ErrorMessages.TryTranslate(english, out var translated).ShouldBeTrue();
        translated.ShouldBe(japanese);
    }

    [Fact]
    public void Localize_AnswersEnglishUnlessJapaneseIsAsked()
    {
        var error = ErrorCodes.MissingField;
        ErrorMessages.Localize(error, "email is required", null).ShouldBe("email is required");
        ErrorMessages.Localize(error, "email is required", "en").ShouldBe("email is required");
        ErrorMessages.Localize(error, "email is required", "fr").ShouldBe("email is required");
        ErrorMessages.Localize(error, "email is required", "japanese").ShouldBe("email is required");
        ErrorMessages.Localize(error, null, "en").ShouldBe(error.Title);
        ErrorMessages.Localize(error, "email is required", "ja").ShouldBe("email は必須です");
        ErrorMessages.Localize(error, "email is required", " JA ").ShouldBe("email は必須です");
        ErrorMessages.Localize(error, "email is required", "ja-JP").ShouldBe("email は必須です");
        ErrorMessages.Localize(error, null, "ja").ShouldBe(error.TitleJa);
    }

    [Fact]
    public void Localize_UnknownMessageKind_AnswersTheJapaneseTitleWithTheEnglishDetail()
    {
        ErrorMessages.Localize(ErrorCodes.InvalidRequest, "Reading the request body timed out", "ja")
            .ShouldBe("リクエストが正しくありません (Reading the request body timed out)");
        var huge = new string('x', ErrorMessages.MaxTranslatedLength) + " is required";
        ErrorMessages.Localize(ErrorCodes.MissingField, huge, "ja").ShouldBe($"{ErrorCodes.MissingField.TitleJa} ({huge})");
    }

    private static IEnumerable<(string File, string Message)> ThrownMessages()
    {
        var src = Path.Combine(Spec.RepositoryRoot, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(Spec.RepositoryRoot, file);
            foreach (Match call in ConstructorCall().Matches(text))
            {
                foreach (var literal in LiteralsInCall(text, call.Index + call.Length))
                {
                    yield return (relative, literal);
                }
            }
        }
    }

    /// <summary><c>new SimlaneException(</c>, or a target-typed <c>new(ErrorCodes.X, …)</c>.</summary>
    [GeneratedRegex(@"new SimlaneException\(|new\((?=\s*ErrorCodes\.)")]
    private static partial Regex ConstructorCall();

    /// <summary>The string literals among the arguments of a call whose '(' ends just before <paramref name="start"/>; holes become "x".</summary>
    private static List<string> LiteralsInCall(string text, int start)
    {
        var literals = new List<string>();
        var depth = 1;
        for (var i = start; i < text.Length && depth > 0; i++)
        {
            var c = text[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == '"' || (c == '$' && text[i + 1] == '"'))
            {
                var interpolated = c == '$';
                i += interpolated ? 2 : 1;
                literals.Add(ReadLiteral(text, ref i, interpolated));
            }
        }

        return literals;
    }

    /// <summary>Reads a literal from just after its opening quote to its closing quote (left at <paramref name="i"/>).</summary>
    private static string ReadLiteral(string text, ref int i, bool interpolated)
    {
        var value = new StringBuilder();
        while (text[i] != '"')
        {
            if (text[i] == '\\')
            {
                value.Append(text[i + 1] switch { 'n' => '\n', 't' => '\t', var other => other });
                i += 2;
            }
            else if (interpolated && text[i] == '{' && text[i + 1] == '{')
            {
                value.Append('{');
                i += 2;
            }
            else if (interpolated && text[i] == '}' && text[i + 1] == '}')
            {
                value.Append('}');
                i += 2;
            }
            else if (interpolated && text[i] == '{')
            {
                SkipHole(text, ref i);
                value.Append('x');
            }
            else
            {
                value.Append(text[i++]);
            }
        }

        return value.ToString();
    }

    /// <summary>Skips an interpolation hole, strings inside it included.</summary>
    private static void SkipHole(string text, ref int i)
    {
        var depth = 0;
        do
        {
            if (text[i] == '"')
            {
                i++;
                while (text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }
            }
            else if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}')
            {
                depth--;
            }

            i++;
        }
        while (depth > 0);
    }
}
