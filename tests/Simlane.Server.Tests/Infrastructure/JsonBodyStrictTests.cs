using System.Text;
using Shouldly;
using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// <see cref="JsonBody.CheckStrict"/> without a server: which bodies it lets through and which it refuses, including the cases its
/// allocation-free duplicate check treats apart (escaped keys, objects past its linear limit, sibling and nested objects).
/// </summary>
public sealed class JsonBodyStrictTests
{
    private static readonly string ManyKeys = string.Concat(Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i},"));

    [Theory]
    [InlineData("""[{"k":1},{"k":2},{"k":3}]""")] // the same key in sibling objects (every usage record)
    [InlineData("""{"k":{"k":{"k":1}},"j":[{"k":1}]}""")] // the same key at several depths
    [InlineData("""{"a":1,"\u0062":2}""")] // an escaped key that differs
    [InlineData("""{"t\u00e9":1,"te":2}""")] // an escaped non-ASCII key
    [InlineData("""{"k":"\ud83d\ude00 and \u00e9"}""")] // a paired surrogate escape in a value
    public void CheckStrict_LetsThroughValidBodies(string body) =>
        Should.NotThrow(() => JsonBody.CheckStrict(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void CheckStrict_LetsThroughAnObjectWithManyDistinctKeys_AndRefusesARepeatAmongThem()
    {
        Should.NotThrow(() => JsonBody.CheckStrict(Encoding.UTF8.GetBytes("{" + ManyKeys + "\"last\":0}")));

        var refused = Should.Throw<SimlaneException>(() => JsonBody.CheckStrict(Encoding.UTF8.GetBytes("{" + ManyKeys + "\"k39\":0}")));
        refused.Error.ShouldBe(ErrorCodes.MalformedJson);
        refused.Message.ShouldContain("'k39' twice");
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "'a' twice")]
    [InlineData("""{"a":1,"\u0061":2}""", "'a' twice")] // escaped and unescaped spellings of one key
    [InlineData("""{"\u0061":1,"\u0061":2}""", "'a' twice")]
    [InlineData("""[{"x":{"k":1},"k":1,"k":2}]""", "'k' twice")] // after a nested object closed
    [InlineData("""{"k":"\ud800"}""", "not valid Unicode")]
    [InlineData("""{"\udc00":1}""", "not valid Unicode")]
    public void CheckStrict_RefusesWhatNothingDownstreamCanHold(string body, string message)
    {
        var refused = Should.Throw<SimlaneException>(() => JsonBody.CheckStrict(Encoding.UTF8.GetBytes(body)));
        refused.Message.ShouldContain(message);
    }

    [Fact]
    public void CheckStrict_RefusesAnEscapedNul_AsAnInvalidField()
    {
        var refused = Should.Throw<SimlaneException>(() => JsonBody.CheckStrict(Encoding.UTF8.GetBytes("""{"k":"a\u0000b"}""")));
        refused.Error.ShouldBe(ErrorCodes.InvalidField);
    }
}
