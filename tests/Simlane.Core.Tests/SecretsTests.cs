using Simlane.Core.Security;

namespace Simlane.Core.Tests;

public class SecretsTests
{
    // Few iterations keep the suite fast; the format and the checks are the same.
    private const int FastIterations = 1_000;

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("")]
    [InlineData("パスワード😀")]
    public void HashSecret_ThenVerifySecret_RoundTrips(string secret)
    {
        var stored = Secrets.HashSecret(secret, FastIterations);

        Secrets.VerifySecret(secret, stored).ShouldBeTrue();
    }

    [Fact]
    public void HashSecret_DefaultIterations_RoundTripsAndUsesDocumentedFormat()
    {
        var stored = Secrets.HashSecret("s3cret");

        Secrets.VerifySecret("s3cret", stored).ShouldBeTrue();
        var parts = stored.Split('$');
        parts.Length.ShouldBe(4);
        parts[0].ShouldBe("pbkdf2-sha256");
        parts[1].ShouldBe("100000");
        Convert.FromBase64String(parts[2]).Length.ShouldBe(16);
        Convert.FromBase64String(parts[3]).Length.ShouldBe(32);
    }

    [Theory]
    [InlineData("s3cret!")]
    [InlineData("S3cret")]
    [InlineData("s3cre")]
    [InlineData("")]
    [InlineData("s3cret ")]
    public void VerifySecret_WrongSecret_ReturnsFalse(string attempt)
    {
        var stored = Secrets.HashSecret("s3cret", FastIterations);

        Secrets.VerifySecret(attempt, stored).ShouldBeFalse();
    }

    [Fact]
    public void HashSecret_SameSecretTwice_DiffersBecauseSalted()
    {
        var first = Secrets.HashSecret("s3cret", FastIterations);
        var second = Secrets.HashSecret("s3cret", FastIterations);

        first.ShouldNotBe(second);
        first.Split('$')[2].ShouldNotBe(second.Split('$')[2]);
        Secrets.VerifySecret("s3cret", first).ShouldBeTrue();
        Secrets.VerifySecret("s3cret", second).ShouldBeTrue();
    }

    public static TheoryData<string?> GarbageHashes() =>
    [
        null,
        "",
        "garbage",
        "$$$",
        "pbkdf2-sha256$1000$AAAA",
        "pbkdf2-sha256$1000$AAAA$AAAA$AAAA",
        "bcrypt$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$abc$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$-5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$99999999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$1000$!!!not base64!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$!!!not base64!!!",
        "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$",
        "pbkdf2-sha256$1000$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ];

    [Theory]
    [MemberData(nameof(GarbageHashes))]
    public void VerifySecret_GarbageStoredHash_ReturnsFalseWithoutThrowing(string? stored)
    {
        Should.NotThrow(() => Secrets.VerifySecret("s3cret", stored)).ShouldBeFalse();
        Should.NotThrow(() => Secrets.VerifySecret("", stored)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void VerifySecret_TamperedSaltOrHash_ReturnsFalse(int part)
    {
        var parts = Secrets.HashSecret("s3cret", FastIterations).Split('$');
        var bytes = Convert.FromBase64String(parts[part]);
        bytes[0] ^= 0x01;
        parts[part] = Convert.ToBase64String(bytes);

        Secrets.VerifySecret("s3cret", string.Join('$', parts)).ShouldBeFalse();
    }

    [Fact]
    public void VerifySecret_TamperedIterations_ReturnsFalse()
    {
        var parts = Secrets.HashSecret("s3cret", FastIterations).Split('$');
        parts[1] = "1001";

        Secrets.VerifySecret("s3cret", string.Join('$', parts)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    public void VerifySecret_TruncatedHash_ReturnsFalseEvenForTheRightSecret(int keptBytes)
    {
        var parts = Secrets.HashSecret("s3cret", FastIterations).Split('$');
        parts[3] = Convert.ToBase64String(Convert.FromBase64String(parts[3]).AsSpan(0, keptBytes));

        Secrets.VerifySecret("s3cret", string.Join('$', parts)).ShouldBeFalse();
    }

    [Fact]
    public void VerifySignInSecret_NoHash_RunsTheCostNewHashesAreMadeWith()
    {
        Secrets.VerifySignInSecret("s3cret", null, out var iterations, unknownIterations: 2_000).ShouldBeFalse();
        iterations.ShouldBe(2_000);
    }

    [Fact]
    public void VerifySignInSecret_StoredHash_VerifiesAtItsOwnCostWhateverNewHashesCost()
    {
        var stored = Secrets.HashSecret("s3cret", 1_500);

        Secrets.VerifySignInSecret("s3cret", stored, out var iterations, unknownIterations: 2_000).ShouldBeTrue();
        iterations.ShouldBe(1_500);
    }

    [Fact]
    public void VerifySignInSecret_KnownHash_VerifiesAtItsOwnCost()
    {
        var stored = Secrets.HashSecret("s3cret");

        Secrets.VerifySignInSecret("s3cret", stored, out var right).ShouldBeTrue();
        Secrets.VerifySignInSecret("wrong", stored, out var wrong).ShouldBeFalse();
        right.ShouldBe(100_000);
        wrong.ShouldBe(100_000);
    }

    [Theory]
    [MemberData(nameof(GarbageHashes))]
    public void VerifySignInSecret_NoUsableHash_RunsADefaultCostVerificationAndFails(string? stored)
    {
        Secrets.VerifySignInSecret("s3cret", stored, out var iterations).ShouldBeFalse();
        iterations.ShouldBe(100_000);
        Secrets.VerifySignInSecret("", stored, out _).ShouldBeFalse();
    }

    [Fact]
    public void HashToken_SameToken_IsDeterministicLowerHexSha256()
    {
        var hash = Secrets.HashToken("abc");

        hash.ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Secrets.HashToken("abc").ShouldBe(hash);
        Secrets.HashToken("abd").ShouldNotBe(hash);
    }

    [Fact]
    public void TokenMatches_RightAndWrongToken_TrueOnlyForRight()
    {
        var token = Secrets.RandomAlphanumeric(43);
        var stored = Secrets.HashToken(token);

        Secrets.TokenMatches(token, stored).ShouldBeTrue();
        Secrets.TokenMatches(token + "x", stored).ShouldBeFalse();
        Secrets.TokenMatches("", stored).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    public void TokenMatches_GarbageOrAlteredStoredHash_ReturnsFalse(string stored) =>
        Should.NotThrow(() => Secrets.TokenMatches("abc", stored)).ShouldBeFalse();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(1000)]
    public void RandomAlphanumeric_Length_HasLengthAndOnlyAsciiLettersAndDigits(int length)
    {
        var value = Secrets.RandomAlphanumeric(length);

        value.Length.ShouldBe(length);
        value.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
    }

    [Fact]
    public void RandomAlphanumeric_ManyCharacters_UsesWholeAlphabetAndDiffersEachCall()
    {
        var value = Secrets.RandomAlphanumeric(10_000);

        value.Distinct().Count().ShouldBe(62);
        Secrets.RandomAlphanumeric(32).ShouldNotBe(Secrets.RandomAlphanumeric(32));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(19)]
    public void RandomDigits_Length_HasLengthAndOnlyAsciiDigits(int length)
    {
        var value = Secrets.RandomDigits(length);

        value.Length.ShouldBe(length);
        value.ShouldAllBe(c => char.IsAsciiDigit(c));
    }

    [Fact]
    public void RandomDigits_ManyCharacters_UsesAllTenDigits() =>
        Secrets.RandomDigits(2_000).Distinct().Count().ShouldBe(10);
}
