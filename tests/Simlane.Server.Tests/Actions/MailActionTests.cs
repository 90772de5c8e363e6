using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Server.Actions;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Infrastructure;
using static Simlane.Server.Tests.Actions.ActionTestKit;

namespace Simlane.Server.Tests.Actions;

/// <summary>SendMailAction and SendMailToOperatorAction through a real SMTP server (python3-aiosmtpd).</summary>
public abstract class MailActionTests(ServerFixture server)
{
    private const string Sender = "alerts@simlane.example";

    private MailActionExecutor Executor(SmtpOptions smtp, string coverage = "jp", RecordingLogger<MailActionExecutor>? logger = null) => new(
        Options.Create(smtp),
        Options.Create(new SimlaneOptions { Coverage = coverage }),
        server.Factory.Services.GetRequiredService<IServiceScopeFactory>(),
        (Microsoft.Extensions.Logging.ILogger<MailActionExecutor>?)logger ?? NullLogger<MailActionExecutor>.Instance);

    private static SmtpOptions Smtp(int port, string? from = Sender) => new() { Host = "127.0.0.1", Port = port, TlsMode = SmtpOptions.TlsNone, From = from };

    private static JsonObject Mail(string to, string title = "Traffic alert", string message = "IMSI 001010000000001 passed 10 MiB today") =>
        new() { ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = to, ["title"] = title, ["message"] = message };

    [Fact]
    public async Task SendMail_ArrivesWithSenderRecipientSubjectBodyAndADeliveryMessageId()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();
        var attempt = Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com", "Traffic alert: 日本", "IMSI 001010000000001 passed 10 MiB today\nSecond line"), deliveryKey: "exec-42.action-0");

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(attempt, CancellationToken.None);

        outcome.ShouldBe(ActionOutcome.Success());
        var mail = sink.Messages().ShouldHaveSingleItem();
        mail.MailFrom.ShouldBe(Sender);
        mail.Recipients.ShouldBe(["ops@example.com"]);
        mail.Message.From.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(Sender);
        mail.Message.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("ops@example.com");
        mail.Message.Subject.ShouldBe("Traffic alert: 日本");
        mail.Body.ReplaceLineEndings("\n").TrimEnd('\n').ShouldBe("IMSI 001010000000001 passed 10 MiB today\nSecond line");
        mail.Message.MessageId.ShouldBe("exec-42.action-0@simlane.example");
        mail.Message.Headers["X-Simlane-Delivery-Id"].ShouldBe("exec-42.action-0");
        mail.Message.Headers["Auto-Submitted"].ShouldBe("auto-generated");
        mail.Message.Date.ToUnixTimeMilliseconds().ShouldBe(Now);
    }

    [Fact]
    public async Task SendMail_Redelivered_CarriesTheSameMessageId_SoReceiversCanDeduplicate()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();
        var executor = Executor(Smtp(sink.Port));
        const string key = "execution:7/action:1"; // ':' is not allowed in a Message-ID: it is hashed

        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com"), key, attempt: 1), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com"), key, attempt: 2), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);
        (await executor.ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com"), "execution:8/action:1"), CancellationToken.None)).Kind.ShouldBe(ActionOutcomeKind.Succeeded);

        var ids = sink.Messages().Select(m => m.Message.MessageId).ToList();
        ids.Count.ShouldBe(3);
        ids[0].ShouldBe(ids[1]);
        ids[2].ShouldNotBe(ids[0]);
        ids[0].ShouldStartWith("simlane-");
        ids[0].ShouldEndWith("@simlane.example");
        ids[0].ShouldBe(MailActionExecutor.MessageId(key, "simlane.example"));
    }

    [Fact]
    public async Task SendMailToOperator_GoesToTheOperatorsAddress()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();
        var properties = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["title"] = "For the operator", ["message"] = "Hello" };

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt(op.OperatorId!, "SendMailToOperatorAction", properties), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        var mail = sink.Messages().ShouldHaveSingleItem();
        mail.Recipients.ShouldBe([op.Email]);
        mail.Message.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(op.Email);
        mail.Message.Subject.ShouldBe("For the operator");
    }

    [Fact]
    public async Task SendMailToOperator_UnknownOperator_FailsPermanentlyAndSendsNothing()
    {
        await using var sink = await SmtpSink.StartAsync();
        var properties = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["title"] = "t", ["message"] = "m" };

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt("OP9999999999", "SendMailToOperatorAction", properties), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("OP9999999999");
        sink.Messages().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("jp", "no-reply@soracom.jp")]
    [InlineData("g", "no-reply@soracom.io")]
    public async Task SendMail_WithoutAConfiguredSender_SendsAsSoracomsNoReplyAddressOfTheCoverage(string coverage, string expected)
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();

        (await Executor(Smtp(sink.Port, from: null), coverage).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None))
            .Kind.ShouldBe(ActionOutcomeKind.Succeeded);

        var mail = sink.Messages().ShouldHaveSingleItem();
        mail.Message.From.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(expected);
        mail.MailFrom.ShouldBe(expected);
    }

    [Fact]
    public async Task SendMail_ServerDown_IsTransient()
    {
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(Smtp(SmtpSink.ClosedPort())).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry, outcome.Error);
        outcome.Error!.ShouldContain("cannot connect");
    }

    [Fact]
    public async Task SendMail_RecipientRejectedWith550_IsPermanent()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("reject-me@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("550");
        outcome.Error!.ShouldContain("Recipient address rejected");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_RecipientRefusedWith451_IsTransient()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("busy@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Retry, outcome.Error);
        outcome.Error!.ShouldContain("451");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_NoSmtpConfigured_FailsPermanently()
    {
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(new SmtpOptions()).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldStartWith("mail is not configured");
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData("a@b.example, c@d.example")]
    public async Task SendMail_BadRecipient_FailsPermanentlyAndSendsNothing(string to)
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail(to)), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_DefaultTlsModeStartTls_AgainstAServerWithoutIt_FailsPermanentlyWithAClearError()
    {
        await using var sink = await SmtpSink.StartAsync();
        var op = await server.NewOperatorAsync();
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, From = Sender };
        smtp.TlsMode.ShouldBe(SmtpOptions.TlsStartTls);

        var outcome = await Executor(smtp).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("STARTTLS");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_WithCredentials_Authenticates()
    {
        await using var sink = await SmtpSink.StartAsync("mailer:s3cret-Pa55");
        var op = await server.NewOperatorAsync();
        var smtp = Smtp(sink.Port);
        smtp.Username = "mailer";
        smtp.Password = "s3cret-Pa55";

        var outcome = await Executor(smtp).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Succeeded, outcome.Error);
        sink.Messages().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task SendMail_WrongPassword_FailsPermanently_AndThePasswordIsNeitherLoggedNorInTheError()
    {
        await using var sink = await SmtpSink.StartAsync("mailer:s3cret-Pa55");
        var op = await server.NewOperatorAsync();
        var smtp = Smtp(sink.Port);
        smtp.Username = "mailer";
        smtp.Password = "wr0ng-Pa55word";
        var logger = new RecordingLogger<MailActionExecutor>();

        var outcome = await Executor(smtp, logger: logger).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("refused the credentials of user 'mailer'");
        outcome.Error!.ShouldNotContain("wr0ng-Pa55word");
        logger.Lines.ShouldNotBeEmpty();
        logger.Lines.ShouldAllBe(line => !line.Contains("wr0ng-Pa55word"));
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_WithoutCredentials_ToAServerThatRequiresThem_IsPermanent()
    {
        await using var sink = await SmtpSink.StartAsync("mailer:s3cret-Pa55");
        var op = await server.NewOperatorAsync();

        var outcome = await Executor(Smtp(sink.Port)).ExecuteAsync(Attempt(op.OperatorId!, "SendMailAction", Mail("ops@example.com")), CancellationToken.None);

        outcome.Kind.ShouldBe(ActionOutcomeKind.Failed, outcome.Error);
        outcome.Error!.ShouldContain("requires authentication");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public void Registration_TheServerHasTheMailExecutorForBothMailActions()
    {
        var executors = server.Factory.Services.GetServices<IActionExecutor>().ToList();

        executors.OfType<MailActionExecutor>().ShouldHaveSingleItem().ActionTypes.ShouldBe(["SendMailAction", "SendMailToOperatorAction"], ignoreOrder: true);
        executors.SelectMany(e => e.ActionTypes).ShouldBeUnique();
    }
}

public sealed class MailActionTests_Sqlite(SqliteServer server) : MailActionTests(server), IClassFixture<SqliteServer>;

public sealed class MailActionTests_Postgres(PostgresServer server) : MailActionTests(server), IClassFixture<PostgresServer>;
