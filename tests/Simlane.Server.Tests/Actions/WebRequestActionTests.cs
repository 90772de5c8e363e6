using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Server.Actions;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;
using static Simlane.Server.Tests.Actions.ActionTestKit;

namespace Simlane.Server.Tests.Actions;

/// <summary>ExecuteWebRequestAction against a real HTTP endpoint on 127.0.0.1: request shape, signature, outcomes, address guard.</summary>
public abstract class WebRequestActionTests(ServerFixture server)
{
    private WebRequestActionExecutor Executor(HandlerFactory http, double timeoutSeconds = 10) => new(
        http,
        server.Factory.Services.GetRequiredService<WebhookSigningSecrets>(),
        Options.Create(new ActionOptions { AllowPrivateAddresses = http.AllowPrivateAddresses, WebRequestTimeoutSeconds = timeoutSeconds }),
        NullLogger<WebRequestActionExecutor>.Instance);

    private static JsonObject Request(string url, string method = "POST", JsonNode? headers = null, string? body = null, string contentType = "application/json")
    {
        var properties = new JsonObject
        {
            ["executionDateTimeConst"] = "IMMEDIATELY",
            ["url"] = url,
            ["httpMethod"] = method,
            ["contentType"] = contentType,
            ["headers"] = headers ?? new JsonObject(),
        };
        if (body is not null)
        {
            properties["body"] = body;
        }

        return properties;
    }

    /// <summary>An independent implementation of the documented scheme (docs/actions.md, "Verifying signatures").</summary>
    private static string ExpectedSignature(string secret, string timestamp, string body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "v1=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + body)));
    }

    private static async Task<string> RotateAsync(ApiClient op) =>
        (await op.PostAsync($"/v1/operators/{op.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.OK).Str("secret");

    [Fact]
    public async Task Post_SendsMethodUrlHeadersContentTypeBody_AndASignatureTheReceiverCanVerify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();
        var secret = await RotateAsync(op);
        const string body = "{\"imsi\":\"001010000000001\",\"text\":\"日本\"}";
        var headers = new JsonObject { ["X-Custom"] = "value-1", ["Authorization"] = "Bearer abc", ["X-Number"] = 5 };
        var attempt = Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook/alerts?imsi=001010000000001&x=a%20b").ToString(), "POST", headers, body, "application/json; charset=utf-8"), "delivery-key-1");

        var outcome = await Executor(http).ExecuteAsync(attempt, CancellationToken.None);

        outcome.ShouldBe(ActionOutcome.Success(200));
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.PathAndQuery.ShouldBe("/hook/alerts?imsi=001010000000001&x=a%20b");
        request.Body.ShouldBe(body);
        request.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        request.Header("X-Custom").ShouldBe("value-1");
        request.Header("Authorization").ShouldBe("Bearer abc");
        request.Header("X-Number").ShouldBe("5");
        request.Header("User-Agent").ShouldBe(WebRequestActionExecutor.UserAgent);
        request.Header("X-Simlane-Delivery-Id").ShouldBe("delivery-key-1");
        var timestamp = request.Header("X-Simlane-Timestamp")!;
        timestamp.ShouldBe((Now / 1000).ToString(CultureInfo.InvariantCulture));
        request.Header("X-Simlane-Signature").ShouldBe(ExpectedSignature(secret, timestamp, body));
    }

    [Theory]
    [InlineData("{\"X-One\":\"1\",\"X-Two\":\"2\"}")]
    [InlineData("{\"X-One\":\"1\"},{\"X-Two\":\"2\"}")] // SORACOM's documented example: objects separated by commas
    public async Task Headers_AsAnEscapedJsonString_AreSent(string headers)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString(), "PUT", JsonValue.Create(headers), "x=1", "application/x-www-form-urlencoded")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("PUT");
        request.Header("X-One").ShouldBe("1");
        request.Header("X-Two").ShouldBe("2");
        request.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        request.Body.ShouldBe("x=1");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task GetAndDelete_SendNoBody_AndSignTheEmptyBody(string method)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();
        var secret = await RotateAsync(op);

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString(), method, body: "ignored for " + method)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(method);
        request.Body.ShouldBe("");
        request.Header("Content-Type").ShouldBeNull();
        request.Header("X-Simlane-Signature").ShouldBe(ExpectedSignature(secret, request.Header("X-Simlane-Timestamp")!, ""));
    }

    [Fact]
    public async Task Headers_CannotOverrideTheSimlaneHeadersOrTheContentType()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();
        var secret = await RotateAsync(op);
        var headers = new JsonObject { ["X-Simlane-Signature"] = "v1=forged", ["x-simlane-delivery-id"] = "forged", ["Content-Type"] = "text/plain", ["Content-Length"] = "1" };

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString(), "POST", headers, "{}"), "real-key"), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Header("X-Simlane-Delivery-Id").ShouldBe("real-key");
        request.Header("X-Simlane-Signature").ShouldBe(ExpectedSignature(secret, request.Header("X-Simlane-Timestamp")!, "{}"));
        request.Header("Content-Type").ShouldBe("application/json");
        request.Body.ShouldBe("{}");
    }

    [Fact]
    public async Task Secret_IsGeneratedOnFirstNeed_StoredEncrypted_AndReplacedByRotation()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();
        var executor = Executor(http);
        var url = receiver.Url("/hook").ToString();

        // No secret yet: the first request generates one; the same one signs the next request.
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(url, body: "a")), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(url, body: "a")), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        var beforeRotation = receiver.Requests.Select(r => r.Header("X-Simlane-Signature")).ToList();
        beforeRotation[0].ShouldNotBeNull();
        beforeRotation[1].ShouldBe(beforeRotation[0]);

        var secret = await RotateAsync(op);
        secret.ShouldStartWith("whsec_");
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(url, body: "a")), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        var afterRotation = receiver.Requests.Last();
        var timestamp = afterRotation.Header("X-Simlane-Timestamp")!;
        afterRotation.Header("X-Simlane-Signature").ShouldBe(ExpectedSignature(secret, timestamp, "a"));
        beforeRotation[0].ShouldNotBe(ExpectedSignature(secret, timestamp, "a"), "the rotation replaced the generated secret");

        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var stored = await db.WebhookSecrets.AsNoTracking().SingleAsync(s => s.OperatorId == op.OperatorId);
        stored.ProtectedSecret.ShouldNotContain(secret["whsec_".Length..]);
        stored.CreatedTime.ShouldBe(server.Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("/status/200", ActionOutcomeKind.Succeeded, 200, null)]
    [InlineData("/status/204", ActionOutcomeKind.Succeeded, 204, null)]
    [InlineData("/status/500", ActionOutcomeKind.Retry, 500, null)]
    [InlineData("/status/503?retryAfter=120", ActionOutcomeKind.Retry, 503, 120)]
    [InlineData("/status/429?retryAfter=7", ActionOutcomeKind.Retry, 429, 7)]
    [InlineData("/status/429", ActionOutcomeKind.Retry, 429, null)]
    [InlineData("/status/408", ActionOutcomeKind.Retry, 408, null)]
    [InlineData("/status/404", ActionOutcomeKind.Failed, 404, null)]
    [InlineData("/status/400", ActionOutcomeKind.Failed, 400, null)]
    [InlineData("/status/401", ActionOutcomeKind.Failed, 401, null)]
    [InlineData("/redirect", ActionOutcomeKind.Failed, 302, null)]
    public async Task Status_MapsToTheOutcome(string path, ActionOutcomeKind kind, int status, int? retryAfterSeconds)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url(path).ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(kind, outcome.Error);
        outcome.HttpStatus.ShouldBe(status);
        outcome.RetryAfter.ShouldBe(retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        if (kind != ActionOutcomeKind.Succeeded)
        {
            outcome.Error!.ShouldStartWith($"HTTP {status}");
        }

        if (status == 302)
        {
            outcome.Error!.ShouldContain("redirects are not followed (Location: /elsewhere)");
            receiver.Requests.Count.ShouldBe(1, "the redirect is not followed");
        }
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeout_IsTransient()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http, timeoutSeconds: 0.5).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hang").ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry, outcome.Error);
        outcome.Error!.ShouldContain("no answer within 0.5 s");
        outcome.HttpStatus.ShouldBeNull();
    }

    [Fact]
    public async Task ConnectionRefused_IsTransient()
    {
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request($"http://127.0.0.1:{SmtpSink.ClosedPort()}/hook")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry, outcome.Error);
        outcome.Error!.ShouldContain("ConnectionRefused");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hook", "127.0.0.1 is not a public address (loopback)")]
    [InlineData("http://localhost:{port}/hook", "localhost resolves to")] // to ::1 or 127.0.0.1, both loopback
    [InlineData("http://10.1.2.3/hook", "10.1.2.3 is not a public address (private)")]
    [InlineData("http://172.16.0.1/hook", "172.16.0.1 is not a public address (private)")]
    [InlineData("http://192.168.1.1/hook", "192.168.1.1 is not a public address (private)")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address (link-local)")]
    [InlineData("http://0.0.0.0/hook", "0.0.0.0 is not a public address (unspecified)")]
    [InlineData("http://[::1]:{port}/hook", "::1 is not a public address (loopback)")]
    [InlineData("http://[fe80::1]/hook", "fe80::1 is not a public address (link-local)")]
    [InlineData("http://[fd12:3456::1]/hook", "fd12:3456::1 is not a public address (unique-local)")]
    [InlineData("http://[::]/hook", ":: is not a public address (unspecified)")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "is not a public address (private)")]
    [InlineData("https://127.0.0.1:{port}/hook", "127.0.0.1 is not a public address (loopback)")]
    public async Task Guard_WhenPrivateAddressesAreNotAllowed_RefusesThemPermanently_WithoutConnecting(string url, string error)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: false);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(url.Replace("{port}", receiver.BaseUri.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldStartWith("refused: ");
        outcome.Error!.ShouldContain(error);
        outcome.Error!.ShouldContain("AllowPrivateAddresses");
        receiver.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Guard_PublicAddresses_AreAllowed(string address) => ActionHttp.Classify(IPAddress.Parse(address)).ShouldBeNull();

    [Theory]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("100.64.0.1", "private (carrier-grade NAT)")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    [InlineData("255.255.255.255", "multicast or reserved")]
    [InlineData("64:ff9b::a00:1", "private")] // NAT64 of 10.0.0.1
    [InlineData("2002:c0a8:101::1", "private")] // 6to4 of 192.168.1.1
    [InlineData("fec0::1", "unique-local")]
    public void Guard_ClassifiesEmbeddedAndOtherNonPublicAddresses(string address, string kind) => ActionHttp.Classify(IPAddress.Parse(address)).ShouldBe(kind);

    [Theory]
    [InlineData("ftp://example.com/file", "only http and https")]
    [InlineData("file:///etc/passwd", "only http and https")]
    [InlineData("not a url", "is not an absolute URL")]
    [InlineData("/relative/path", "only http and https")] // an absolute path is a file: URL on Unix
    public async Task Url_NotHttpOrHttps_FailsPermanently(string url, string error)
    {
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(url)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain(error);
    }

    public static TheoryData<string, JsonNode?, string, string> BadProperties() => new()
    {
        { "PATCH", new JsonObject(), "application/json", "httpMethod 'PATCH' is not one of GET, POST, PUT, DELETE" },
        { "POST", JsonValue.Create("not json"), "application/json", "headers must be a JSON object" },
        { "POST", new JsonArray(1, 2), "application/json", "headers must be a JSON object" },
        { "POST", new JsonObject { ["X-Nested"] = new JsonObject() }, "application/json", "'X-Nested' must have a string value" },
        { "POST", new JsonObject { ["X-Injected"] = "a\r\nX-Evil: 1" }, "application/json", "must not contain line breaks" },
        { "POST", new JsonObject { ["Bad Name"] = "v" }, "application/json", "'Bad Name' is not a valid header name" },
        { "POST", new JsonObject(), "not a media type", "contentType 'not a media type' is not a media type" },
    };

    [Theory]
    [MemberData(nameof(BadProperties))]
    public async Task BadProperties_FailPermanently_AndSendNothing(string method, JsonNode? headers, string contentType, string error)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(http).ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString(), method, headers?.DeepClone(), "{}", contentType)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain(error);
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Secret_ThatCannotBeDecrypted_FailsPermanently_UntilTheOperatorRotatesIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);
        var op = await server.NewOperatorAsync();
        await RotateAsync(op);
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            // What a server with other Data Protection keys would find.
            await db.WebhookSecrets.Where(s => s.OperatorId == op.OperatorId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ProtectedSecret, "CfDJ8-not-decryptable"));
        }

        var executor = Executor(http);
        var outcome = await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("cannot be decrypted");
        outcome.Error!.ShouldContain("webhook_secret");
        receiver.Requests.ShouldBeEmpty();

        var secret = await RotateAsync(op);
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString(), body: "b")), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Header("X-Simlane-Signature").ShouldBe(ExpectedSignature(secret, request.Header("X-Simlane-Timestamp")!, "b"));
    }

    [Fact]
    public async Task UnknownOperator_FailsPermanently_AndSendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HandlerFactory(allowPrivateAddresses: true);

        var outcome = await Executor(http).ExecuteAsync(Attempt("OP9999999999", "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("OP9999999999");
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Registration_InSandboxMode_PrivateAddressesAreAllowedByDefault()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var op = await server.NewOperatorAsync();
        server.Factory.Services.GetRequiredService<IOptions<ActionOptions>>().Value.AllowPrivateAddresses.ShouldBe(true);
        var executor = server.Factory.Services.GetServices<IActionExecutor>().OfType<WebRequestActionExecutor>().ShouldHaveSingleItem();
        executor.ActionTypes.ShouldBe(["ExecuteWebRequestAction"]);

        var outcome = await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        receiver.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Registration_OutsideSandboxMode_PrivateAddressesAreRefusedByDefault()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var op = await server.NewOperatorAsync();
        await using var production = new SimlaneFactory(server.Database.ConnectionString, server.Clock, sandbox: false);
        production.Services.GetRequiredService<IOptions<ActionOptions>>().Value.AllowPrivateAddresses.ShouldBe(false);
        var executor = production.Services.GetServices<IActionExecutor>().OfType<WebRequestActionExecutor>().ShouldHaveSingleItem();

        var outcome = await executor.ExecuteAsync(Attempt(op.OperatorId!, "ExecuteWebRequestAction", Request(receiver.Url("/hook").ToString())), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("loopback");
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Registration_TheOptionOverridesTheSandboxDefault()
    {
        await using var configured = server.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Simlane:Actions:AllowPrivateAddresses", "false");
            b.UseSetting("Simlane:Actions:WebRequestTimeoutSeconds", "2.5");
        });

        var options = configured.Services.GetRequiredService<IOptions<ActionOptions>>().Value;

        options.AllowPrivateAddresses.ShouldBe(false);
        options.WebRequestTimeoutSeconds.ShouldBe(2.5);
    }

    /// <summary>An <see cref="IHttpClientFactory"/> over one handler built exactly as the server builds it.</summary>
    public sealed class HandlerFactory(bool allowPrivateAddresses) : IHttpClientFactory, IDisposable
    {
        private readonly SocketsHttpHandler handler = ActionHttp.CreateHandler(allowPrivateAddresses);

        public bool AllowPrivateAddresses => allowPrivateAddresses;

        public HttpClient CreateClient(string name)
        {
            name.ShouldBe(ActionHttp.ClientName);
            return new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public void Dispose() => handler.Dispose();
    }
}

public sealed class WebRequestActionTests_Sqlite(SqliteServer server) : WebRequestActionTests(server), IClassFixture<SqliteServer>;

public sealed class WebRequestActionTests_Postgres(PostgresServer server) : WebRequestActionTests(server), IClassFixture<PostgresServer>;
