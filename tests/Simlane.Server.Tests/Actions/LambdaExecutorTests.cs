using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Server.Actions;
using Simlane.Server.Actions.Aws;
using Simlane.Server.Credentials;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// InvokeAWSLambdaAction end to end: credentials created through the API, the executor registered in the
/// server, a real local endpoint playing Lambda; the signature it receives is verified with botocore.
/// </summary>
public abstract class LambdaExecutorTests(ServerFixture server)
{
    private const string Region = "us-east-1"; // Simlane:Lambda:DefaultRegion: 127.0.0.1 names no region.
    private const string DeliveryKey = "exec-77/action-1";

    private IServiceProvider Services => server.Factory.Services;

    private IActionExecutor Executor => Services.GetServices<IActionExecutor>().Single(e => e.ActionTypes.Contains("InvokeAWSLambdaAction"));

    private static JsonObject Properties(FakeLambda lambda, string credentialsId = "lambda-key", string functionName = "sim-alerts") => new()
    {
        ["executionDateTimeConst"] = "IMMEDIATELY",
        ["endpoint"] = lambda.Endpoint.ToString(),
        ["functionName"] = functionName,
        ["credentialsId"] = credentialsId,
        ["parameter1"] = "295050912345678",
        ["parameter2"] = "SubscriberDailyTrafficRule",
        ["parameter4"] = "café ✓ \"quoted\"",
    };

    private ActionAttempt Attempt(ApiClient op, JsonObject properties) =>
        new(1, DeliveryKey, op.OperatorId!, "handler-1", 77, "InvokeAWSLambdaAction", properties, "295050912345678", "8942310000000000001", 1, server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<ApiClient> OperatorWithKeyAsync(string credentialsId = "lambda-key", JsonObject? body = null)
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync($"/v1/credentials/{credentialsId}", body ?? CredentialsTests.Aws())).ShouldBe(HttpStatusCode.Created);
        return op;
    }

    /// <summary>Recomputes the received request's signature with botocore from what arrived on the wire.</summary>
    private static async Task ShouldBeSignedByAsync(ReceivedInvoke received, string accessKeyId, string secret)
    {
        var authorization = received.Header("Authorization").ShouldNotBeNull();
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        signedHeaders.ShouldBe(["content-type", "host", "x-amz-date", "x-amz-invocation-type", "x-simlane-delivery-id"]);
        var headers = signedHeaders.Where(h => h is not ("host" or "x-amz-date"))
            .Select(h => new KeyValuePair<string, string>(h, received.Header(h).ShouldNotBeNull(h))).ToList();
        var url = $"http://{received.Header("Host")}{received.RawTarget}";

        var expected = await Botocore.SignAsync(received.Method, url, headers, received.Body, accessKeyId, secret, Region, "lambda", received.Header("X-Amz-Date")!);

        authorization.ShouldBe(expected.Authorization);
    }

    private InvokeLambdaExecutor CustomExecutor(LambdaOptions lambda, bool sandbox = true, ILogger<InvokeLambdaExecutor>? logger = null, CredentialStore? store = null, IHttpClientFactory? http = null) => new(
        http ?? Services.GetRequiredService<IHttpClientFactory>(),
        store ?? Services.GetRequiredService<CredentialStore>(),
        Options.Create(lambda),
        Options.Create(new SimlaneOptions { Sandbox = sandbox }),
        Services.GetRequiredService<ClockSource>(),
        logger ?? Services.GetRequiredService<ILogger<InvokeLambdaExecutor>>());

    [Fact]
    public async Task Invoke_ToAPrivateAddressWhenNotAllowed_IsRefusedPermanently_WithoutConnecting()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();
        using var guarded = new WebRequestActionTests.HandlerFactory(allowPrivateAddresses: false);
        var executor = CustomExecutor(Services.GetRequiredService<IOptions<LambdaOptions>>().Value, http: new NamedClients(guarded));

        var outcome = await executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldStartWith("refused: ");
        lambda.Received.ShouldBeEmpty();
    }

    /// <summary>Answers the Lambda client with the guarded handler the server gives it.</summary>
    private sealed class NamedClients(IHttpClientFactory inner) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name)
        {
            name.ShouldBe(InvokeLambdaExecutor.HttpClientName);
            return inner.CreateClient(ActionHttp.ClientName);
        }
    }

    [Fact]
    public async Task Invoke_FunctionAnswers200_SucceedsWithASignedInvokeCarryingTheParameters()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();

        var outcome = await Executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.ShouldBe(ActionOutcome.Success(200));
        var received = lambda.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.RawTarget.ShouldBe("/2015-03-31/functions/sim-alerts/invocations");
        received.Header("Content-Type").ShouldBe("application/json");
        received.Header("X-Amz-Invocation-Type").ShouldBe("RequestResponse");
        received.Header("X-Simlane-Delivery-Id").ShouldBe(DeliveryKey);
        received.Header("X-Amz-Date").ShouldBe(server.Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        received.Header("Authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential={CredentialsTests.AccessKeyId}/20261102/{Region}/lambda/aws4_request, ");
        JsonNode.Parse(received.Body)!.ToJsonString().ShouldBe(new JsonObject
        {
            ["parameter1"] = "295050912345678",
            ["parameter2"] = "SubscriberDailyTrafficRule",
            ["parameter4"] = "café ✓ \"quoted\"",
        }.ToJsonString());
        await ShouldBeSignedByAsync(received, CredentialsTests.AccessKeyId, CredentialsTests.Secret);

        // Using the set is recorded.
        (await op.GetAsync("/v1/credentials")).Array[0]!["lastUsedDateTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Invoke_FunctionArnWithQualifier_IsEncodedInThePathAndStillVerifies()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();
        const string arn = "arn:aws:lambda:us-east-1:123456789012:function:sim-alerts:PROD";

        (await Executor.ExecuteAsync(Attempt(op, Properties(lambda, functionName: arn)), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);

        var received = lambda.Received.ShouldHaveSingleItem();
        received.RawTarget.ShouldBe("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Asim-alerts%3APROD/invocations");
        await ShouldBeSignedByAsync(received, CredentialsTests.AccessKeyId, CredentialsTests.Secret);
    }

    [Fact]
    public async Task Invoke_DeprecatedInlineKeyPair_IsUsedWhenNoCredentialsIdIsSet()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await server.NewOperatorAsync();
        var properties = Properties(lambda);
        properties.Remove("credentialsId");
        properties["accessKey"] = "AKIAINLINEINLINEINL0";
        properties["secretAccessKey"] = "inline-secret";

        (await Executor.ExecuteAsync(Attempt(op, properties), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);

        await ShouldBeSignedByAsync(lambda.Received.ShouldHaveSingleItem(), "AKIAINLINEINLINEINL0", "inline-secret");
    }

    public static TheoryData<int, string, string, ActionOutcomeKind, string> Answers() => new()
    {
        // status, header ("name: value" or ""), body, outcome, error
        { 500, "", """{"Message":"Internal failure"}""", ActionOutcomeKind.Retry, "Lambda answered HTTP 500: Internal failure" },
        { 503, "x-amzn-ErrorType: ServiceException", """{"Type":"Service","message":"try later"}""", ActionOutcomeKind.Retry, "Lambda answered HTTP 503: ServiceException: Service: try later" },
        { 429, "x-amzn-ErrorType: TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.lambda/", """{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}""", ActionOutcomeKind.Retry, "Lambda answered HTTP 429: TooManyRequestsException: User: Rate Exceeded." },
        { 403, "x-amzn-ErrorType: AccessDeniedException", """{"Message":"User is not authorized to perform: lambda:InvokeFunction"}""", ActionOutcomeKind.Failed, "Lambda answered HTTP 403: AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction" },
        { 404, "x-amzn-ErrorType: ResourceNotFoundException", """{"Type":"User","Message":"Function not found: sim-alerts"}""", ActionOutcomeKind.Failed, "Lambda answered HTTP 404: ResourceNotFoundException: User: Function not found: sim-alerts" },
        { 400, "", "not json", ActionOutcomeKind.Failed, "Lambda answered HTTP 400: not json" },
        { 200, "X-Amz-Function-Error: Unhandled", """{"errorType":"Error","errorMessage":"boom","trace":["at handler"]}""", ActionOutcomeKind.Failed, "function error (Unhandled): Error: boom" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Invoke_LambdaAnswer_IsClassified(int status, string header, string body, ActionOutcomeKind kind, string error)
    {
        await using var lambda = await FakeLambda.StartAsync();
        var headers = header.Length == 0 ? null : new Dictionary<string, string> { [header.Split(": ")[0]] = header.Split(": ", 2)[1] };
        lambda.Answer = (_, _) => Task.FromResult(new FakeAnswer(status, body, headers));
        var op = await OperatorWithKeyAsync();

        var outcome = await Executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.Kind.ShouldBe(kind);
        outcome.HttpStatus.ShouldBe(status);
        outcome.Error.ShouldBe(error);
        lambda.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Invoke_429WithRetryAfter_AsksForThatDelay()
    {
        await using var lambda = await FakeLambda.StartAsync();
        lambda.Answer = (_, _) => Task.FromResult(new FakeAnswer(429, "{}", new Dictionary<string, string> { ["Retry-After"] = "7" }));
        var op = await OperatorWithKeyAsync();

        var outcome = await Executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry);
        outcome.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Invoke_ConnectionRefused_IsTransient()
    {
        var op = await OperatorWithKeyAsync();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var properties = new JsonObject { ["endpoint"] = $"http://127.0.0.1:{port}", ["functionName"] = "sim-alerts", ["credentialsId"] = "lambda-key" };

        var outcome = await Executor.ExecuteAsync(Attempt(op, properties), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry);
        outcome.HttpStatus.ShouldBeNull();
        outcome.Error!.ShouldStartWith("cannot reach the Lambda endpoint: ");
    }

    [Fact]
    public async Task Invoke_EndpointThatNeverAnswers_TimesOutAsTransient()
    {
        await using var lambda = await FakeLambda.StartAsync();
        lambda.Answer = async (_, aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted);
            return new FakeAnswer(200, "null");
        };
        var op = await OperatorWithKeyAsync();
        var executor = CustomExecutor(new LambdaOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        var outcome = await executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry);
        outcome.Error.ShouldBe("Lambda did not answer within 0.3 s");
    }

    [Fact]
    public async Task Invoke_EventInvocationTypeAndRegionFromOptions_AreSentAndSigned()
    {
        await using var lambda = await FakeLambda.StartAsync();
        lambda.Answer = (_, _) => Task.FromResult(new FakeAnswer(202, ""));
        var op = await OperatorWithKeyAsync();
        var executor = CustomExecutor(new LambdaOptions { InvocationType = "Event", DefaultRegion = "ap-northeast-1" });

        (await executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None)).ShouldBe(ActionOutcome.Success(202));

        var received = lambda.Received.ShouldHaveSingleItem();
        received.Header("X-Amz-Invocation-Type").ShouldBe("Event");
        received.Header("Authorization")!.ShouldContain("/ap-northeast-1/lambda/aws4_request");
    }

    [Fact]
    public async Task Invoke_MissingForeignOrWrongTypeCredentials_FailsPermanentlyWithoutCalling()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var alice = await OperatorWithKeyAsync("alices-key");
        var bob = await OperatorWithKeyAsync("psk-key", new JsonObject { ["type"] = "psk", ["credentials"] = new JsonObject { ["key"] = "k" } });

        var foreign = await Executor.ExecuteAsync(Attempt(bob, Properties(lambda, "alices-key")), CancellationToken.None);
        var missing = await Executor.ExecuteAsync(Attempt(bob, Properties(lambda, "nobodys-key")), CancellationToken.None);
        var wrongType = await Executor.ExecuteAsync(Attempt(bob, Properties(lambda, "psk-key")), CancellationToken.None);
        (await alice.DeleteAsync("/v1/credentials/alices-key")).ShouldBe(HttpStatusCode.NoContent);
        var deleted = await Executor.ExecuteAsync(Attempt(alice, Properties(lambda, "alices-key")), CancellationToken.None);
        var unset = Properties(lambda);
        unset.Remove("credentialsId");
        var none = await Executor.ExecuteAsync(Attempt(bob, unset), CancellationToken.None);

        foreign.ShouldBe(ActionOutcome.Permanent("no credential set 'alices-key' (create it with POST /v1/credentials/alices-key)"));
        deleted.ShouldBe(foreign);
        missing.ShouldBe(ActionOutcome.Permanent("no credential set 'nobodys-key' (create it with POST /v1/credentials/nobodys-key)"));
        wrongType.ShouldBe(ActionOutcome.Permanent("credential set 'psk-key' is psk; InvokeAWSLambdaAction needs aws-credentials"));
        none.ShouldBe(ActionOutcome.Permanent("credentialsId is not set"));
        lambda.Received.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("endpoint", "ftp://127.0.0.1/", "endpoint must be an http(s) URL without query, such as https://lambda.ap-northeast-1.amazonaws.com")]
    [InlineData("endpoint", "http://127.0.0.1/?x=1", "endpoint must be an http(s) URL without query, such as https://lambda.ap-northeast-1.amazonaws.com")]
    [InlineData("endpoint", "lambda.ap-northeast-1.amazonaws.com", "endpoint must be an http(s) URL without query, such as https://lambda.ap-northeast-1.amazonaws.com")]
    [InlineData("endpoint", "", "endpoint is not set")]
    [InlineData("functionName", "../../admin", "functionName must be a Lambda function name, ARN or name:qualifier (letters, digits, '-', '_', '.', ':', '$'; at most 170)")]
    [InlineData("functionName", "a b", "functionName must be a Lambda function name, ARN or name:qualifier (letters, digits, '-', '_', '.', ':', '$'; at most 170)")]
    public async Task Invoke_BadEndpointOrFunctionName_FailsPermanentlyWithoutCalling(string property, string value, string error)
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();
        var properties = Properties(lambda);
        properties[property] = value;

        (await Executor.ExecuteAsync(Attempt(op, properties), CancellationToken.None)).ShouldBe(ActionOutcome.Permanent(error));
        lambda.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Invoke_PlainHttpOutsideSandboxMode_FailsPermanently()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();

        var outcome = await CustomExecutor(new LambdaOptions(), sandbox: false).ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.ShouldBe(ActionOutcome.Permanent("endpoint must use https (plain http is allowed in sandbox mode only)"));
        lambda.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Invoke_AfterARestart_StillDecryptsTheStoredSecret()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();

        await server.RestartAsync();
        var outcome = await Executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        await ShouldBeSignedByAsync(lambda.Received.ShouldHaveSingleItem(), CredentialsTests.AccessKeyId, CredentialsTests.Secret);
    }

    [Fact]
    public async Task Invoke_WithOtherDataProtectionKeys_FailsPermanentlyWithoutCalling()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var op = await OperatorWithKeyAsync();
        var otherKeys = new CredentialStore(
            Services.GetRequiredService<IServiceScopeFactory>(), new SecretProtector(new EphemeralDataProtectionProvider()), server.Clock);

        var outcome = await CustomExecutor(new LambdaOptions(), store: otherKeys).ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None);

        outcome.ShouldBe(ActionOutcome.Permanent(
            "Credential set 'lambda-key' cannot be decrypted: the Data Protection keys (--keys) are not the ones it was stored with"));
        lambda.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Invoke_NeitherOutcomeNorLog_EverContainsTheSecret()
    {
        await using var lambda = await FakeLambda.StartAsync();
        var answers = new Queue<FakeAnswer>([new(200, "null"), new(500, "{}"), new(403, "{}"), new(200, """{"errorMessage":"x"}""", new Dictionary<string, string> { ["X-Amz-Function-Error"] = "Handled" })]);
        lambda.Answer = (_, _) => Task.FromResult(answers.Dequeue());
        var op = await OperatorWithKeyAsync();
        var logs = new CapturingLogger();
        var executor = CustomExecutor(new LambdaOptions(), logger: logs);

        var outcomes = new List<ActionOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add(await executor.ExecuteAsync(Attempt(op, Properties(lambda)), CancellationToken.None));
        }

        outcomes.Select(o => o.Kind).ShouldBe([ActionOutcomeKind.Succeeded, ActionOutcomeKind.Retry, ActionOutcomeKind.Failed, ActionOutcomeKind.Failed]);
        logs.Lines.Count.ShouldBe(4);
        foreach (var text in outcomes.Select(o => o.ToString()).Concat(logs.Lines))
        {
            text.ShouldNotContain(CredentialsTests.Secret);
            text.ShouldNotContain("Signature=");
        }
    }

    private sealed class CapturingLogger : ILogger<InvokeLambdaExecutor>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception) + exception);
            }
        }
    }
}

public sealed class LambdaExecutorTests_Sqlite(SqliteServer server) : LambdaExecutorTests(server), IClassFixture<SqliteServer>;

public sealed class LambdaExecutorTests_Postgres(PostgresServer server) : LambdaExecutorTests(server), IClassFixture<PostgresServer>;
