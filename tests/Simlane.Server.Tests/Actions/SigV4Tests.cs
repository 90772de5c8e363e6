using System.Text;
using Simlane.Server.Actions.Aws;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// The SigV4 signer: AWS's published test vectors (the SigV4 test suite's get-vanilla and post-vanilla, and the
/// IAM ListUsers example and signing-key derivations of the SigV4 documentation), then a cross-check of
/// requests shaped like Lambda's against botocore's SigV4Auth.
/// </summary>
public sealed class SigV4Tests
{
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static SigV4Signature Suite(string method, string url, string service = "service", params KeyValuePair<string, string>[] headers) =>
        SigV4.Sign(method, new Uri(url), headers, [], SuiteAccessKey, SuiteSecret, "us-east-1", service, SuiteTime);

    [Fact]
    public void Sign_AwsSuiteGetVanilla_MatchesThePublishedSignature()
    {
        var signed = Suite("GET", "https://example.amazonaws.com/");

        signed.AmzDate.ShouldBe("20150830T123600Z");
        signed.CanonicalRequest.ShouldBe(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        signed.Authorization.ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Sign_AwsSuitePostVanilla_MatchesThePublishedSignature()
    {
        Suite("POST", "https://example.amazonaws.com/").Signature.ShouldBe("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    [Fact]
    public void Sign_AwsDocsIamListUsersExample_MatchesThePublishedSignature()
    {
        var signed = Suite("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", "iam",
            new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));

        signed.SignedHeaders.ShouldBe("content-type;host;x-amz-date");
        signed.Signature.ShouldBe("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    [Theory]
    [InlineData("20120215", "iam", "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")]
    [InlineData("20150830", "iam", "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")]
    public void SigningKey_AwsDocsExamples_MatchThePublishedKeys(string date, string service, string expected)
    {
        Convert.ToHexStringLower(SigV4.SigningKey(SuiteSecret, date, "us-east-1", service)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("my-function", "my-function")]
    [InlineData("arn:aws:lambda:ap-northeast-1:123456789012:function:my-fn:PROD", "arn%3Aaws%3Alambda%3Aap-northeast-1%3A123456789012%3Afunction%3Amy-fn%3APROD")]
    [InlineData("a b/é~", "a%20b%2F%C3%A9~")]
    public void UriEncode_KeepsOnlyUnreservedCharacters(string value, string expected)
    {
        SigV4.UriEncode(value).ShouldBe(expected);
    }

    public static TheoryData<string, string, string, string, string> CrossCheckCases() => new()
    {
        // method, url, headers ("name: value" lines), body, region
        { "POST", "https://lambda.ap-northeast-1.amazonaws.com/2015-03-31/functions/my-function/invocations",
            "Content-Type: application/json\nX-Amz-Invocation-Type: RequestResponse\nX-Simlane-Delivery-Id: 42-0-3", "{\"parameter1\":\"295050912345678\"}", "ap-northeast-1" },
        { "POST", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3APROD/invocations",
            "Content-Type: application/json\nX-Amz-Invocation-Type: Event", "{\"parameter1\":\"caf\u00e9 \u2713\",\"parameter5\":\"\\\"quoted\\\"\"}", "us-east-1" },
        { "POST", "http://127.0.0.1:45678/prefix/2015-03-31/functions/fn/invocations",
            "Content-Type: application/json\nX-Simlane-Delivery-Id:   spaced    value  ", "{}", "eu-west-1" },
        { "GET", "https://service.us-west-2.amazonaws.com/a/b?z=1&a=x%20y&a=%E2%9C%93&m=", "X-Custom: one", "", "us-west-2" },
    };

    [Theory]
    [MemberData(nameof(CrossCheckCases))]
    public async Task Sign_SameRequestAsBotocore_GivesTheSameAuthorization(string method, string url, string headerLines, string body, string region)
    {
        var headers = headerLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..]);
        }).ToList();
        var bytes = Encoding.UTF8.GetBytes(body);
        var time = new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero);
        const string accessKey = "AKIAIOSFODNN7EXAMPLE";
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        var ours = SigV4.Sign(method, new Uri(url), headers, bytes, accessKey, secret, region, "lambda", time);
        var theirs = await Botocore.SignAsync(method, url, headers, bytes, accessKey, secret, region, "lambda", ours.AmzDate);

        ours.CanonicalRequest.ShouldBe(theirs.CanonicalRequest);
        ours.StringToSign.ShouldBe(theirs.StringToSign);
        ours.Authorization.ShouldBe(theirs.Authorization);
    }

    [Fact]
    public void Sign_HeaderTheSignerOwns_IsRefused()
    {
        Should.Throw<ArgumentException>(() => Suite("GET", "https://example.amazonaws.com/", "service", new KeyValuePair<string, string>("Host", "evil.example")));
    }

    [Theory]
    [InlineData("lambda.ap-northeast-1.amazonaws.com", "ap-northeast-1")]
    [InlineData("lambda.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [InlineData("lambda.cn-north-1.amazonaws.com.cn", "cn-north-1")]
    [InlineData("vpce-0123-abcd.lambda.eu-central-1.vpce.amazonaws.com", "eu-central-1")]
    [InlineData("127.0.0.1", null)]
    [InlineData("lambda.example.com", null)]
    public void RegionOf_ReadsTheRegionFromLambdaHosts(string host, string? region)
    {
        InvokeLambdaExecutor.RegionOf(host).ShouldBe(region);
    }
}
