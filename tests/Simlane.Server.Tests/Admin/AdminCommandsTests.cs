using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Admin;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Admin;

/// <summary>
/// <c>simlane-server admin …</c> run in-process against the fixture's database, then checked through
/// the HTTP API of a server on that same database.
/// </summary>
public abstract class AdminCommandsTests(ServerFixture server) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("simlane-import-").FullName;

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CreateOperator_PrintsAnAuthKeyThatSignsIn()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        var (code, stdout, stderr) = await AdminAsync("create-operator", "--email", email);
        code.ShouldBe(0, stderr);

        var printed = JsonNode.Parse(stdout)!;
        var operatorId = printed["operatorId"]!.GetValue<string>();
        operatorId.ShouldStartWith("OP");
        printed["email"]!.GetValue<string>().ShouldBe(email);
        var auth = await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = printed["authKeyId"]!.GetValue<string>(), authKey = printed["authKey"]!.GetValue<string>() });
        auth.ShouldBe(HttpStatusCode.OK).Str("operatorId").ShouldBe(operatorId);
    }

    [Fact]
    public async Task CreateOperator_WithoutEmail_IsAUsageError()
    {
        var (code, _, stderr) = await AdminAsync("create-operator");
        code.ShouldBe(2);
        stderr.ShouldContain("--email is required");
    }

    [Fact]
    public async Task ImportSims_ValidRows_AreImportedAndRegistrableWithTheirSecret()
    {
        var a = NewSim();
        var b = NewSim();
        var file = WriteCsv(
            "iccid,imsi,msisdn,serial,registrationSecret,subscription,bundles",
            $"{a.Iccid},{a.Imsi},819012345678,SN-A,\"pw,with \"\"quotes\"\"\",plan01s,",
            $"{b.Iccid},{b.Imsi},,SN-B,secret-b,planX3,X3-5MB");

        var (code, stdout, stderr) = await AdminAsync("import-sims", "--file", file);

        code.ShouldBe(0, stderr);
        stdout.Trim().ShouldBe("imported 2, skipped 0, rejected 0");
        var op = await server.NewOperatorAsync();
        (await op.PostAsync($"/v1/subscribers/{a.Imsi}/register", new { registrationSecret = "wrong" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0011");
        var registered = (await op.PostAsync($"/v1/subscribers/{a.Imsi}/register", new { registrationSecret = "pw,with \"quotes\"" })).ShouldBe(HttpStatusCode.Created);
        registered.Str("simId").ShouldBe(a.Iccid);
        var sim = (await op.GetAsync($"/v1/sims/{a.Iccid}")).ShouldBe(HttpStatusCode.OK);
        sim.Str("status").ShouldBe("ready");
        sim.Str("serialNumber").ShouldBe("SN-A");
        (await op.PostAsync($"/v1/subscribers/{b.Imsi}/register", new { registrationSecret = "secret-b" })).ShouldBe(HttpStatusCode.Created);
        var subscriber = (await op.GetAsync($"/v1/subscribers/{b.Imsi}")).ShouldBe(HttpStatusCode.OK);
        subscriber.Str("subscription").ShouldBe("planX3");
    }

    [Fact]
    public async Task ImportSims_InvalidRows_AreRejectedWithLineAndReason()
    {
        var ok = NewSim();
        var dup = NewSim();
        var rows = new[]
        {
            "IMSI , Subscription,iccid,registrationSecret,bundles,moduleType",           // line 1: any order, any case
            $"{ok.Imsi},plan01s,{ok.Iccid},pw,,nano",                                    // 2 ok
            $"{NewSim().Imsi},plan01s,123,pw,,",                                         // 3 short iccid
            $"12345,plan01s,{NewSim().Iccid},pw,,",                                      // 4 short imsi
            $"{NewSim().Imsi},plan01s,{NewSim().Iccid},,,",                              // 5 no secret
            $"{NewSim().Imsi},plan99,{NewSim().Iccid},pw,,",                             // 6 unknown plan
            $"{NewSim().Imsi},planArc01,{NewSim().Iccid},pw,,",                          // 7 virtual plan
            $"{NewSim().Imsi},plan-D,{NewSim().Iccid},pw,X3-5MB,",                       // 8 bundle of another plan
            $"{dup.Imsi},plan01s,{ok.Iccid},pw,,",                                       // 9 duplicate iccid in file
            $"{ok.Imsi},plan01s,{dup.Iccid},pw,,",                                       // 10 duplicate imsi in file
            $"{NewSim().Imsi},plan01s",                                                  // 11 too few fields
            $"{NewSim().Imsi},plan01s,{NewSim().Iccid},\"pw\"x,,",                       // 12 text after a closing quote
            $"{NewSim().Imsi},plan01s,{NewSim().Iccid},pw,,floppy",                      // 13 unknown module type
        };
        var file = WriteCsv(rows);

        var (code, stdout, _) = await AdminAsync("import-sims", "--file", file);

        code.ShouldBe(1);
        var lines = stdout.Trim().Split('\n');
        lines[0].ShouldBe("imported 1, skipped 0, rejected 11", stdout);
        lines[1..].Select(l => int.Parse(l.Split(':')[0]["line ".Length..], CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(3, 11));
        lines[1].ShouldContain("iccid '123' must be 18 to 22 digits");
        lines[2].ShouldContain("imsi '12345' must be 14 or 15 digits");
        lines[3].ShouldContain("registrationSecret is required");
        lines[4].ShouldContain("unknown subscription 'plan99'");
        lines[5].ShouldContain("virtual SIMs only");
        lines[6].ShouldContain("'X3-5MB' is not one of D-500MB");
        lines[7].ShouldContain($"duplicate iccid {ok.Iccid} (first on line 2)");
        lines[8].ShouldContain($"duplicate imsi {ok.Imsi} (first on line 2)");
        lines[9].ShouldContain("expected 6 fields, found 2");
        lines[10].ShouldContain("unexpected text after a closing quote");
        lines[11].ShouldContain("moduleType 'floppy'");
    }

    [Fact]
    public async Task ImportSims_AgainAndInBatches_NeverDuplicates()
    {
        var sims = Enumerable.Range(0, 23).Select(_ => NewSim()).ToList();
        var file = WriteCsv(["iccid,imsi,registrationSecret,subscription", .. sims.Take(20).Select(s => $"{s.Iccid},{s.Imsi},pw,plan01s")]);
        using (var reader = new StreamReader(file))
        {
            var first = await SimImport.RunAsync(Simlane.Storage.DatabaseOptions.Parse(server.Database.ConnectionString), reader, server.Clock, batchSize: 7);
            first.Imported.ShouldBe(20);
        }

        // The second file repeats every row and adds three.
        var all = WriteCsv(["iccid,imsi,registrationSecret,subscription", .. sims.Select(s => $"{s.Iccid},{s.Imsi},pw,plan01s")]);
        var second = await AdminAsync("import-sims", "--file", all);
        second.Code.ShouldBe(0, second.Stderr);
        second.Stdout.Trim().ShouldBe("imported 3, skipped 20, rejected 0");
        (await AdminAsync("import-sims", "--file", all)).Stdout.Trim().ShouldBe("imported 0, skipped 23, rejected 0");

        // A row that reuses an imported IMSI or ICCID for another SIM is not a re-import: it is rejected.
        var clash = NewSim();
        var (code, stdout, _) = await AdminAsync("import-sims", "--file", WriteCsv(
            "iccid,imsi,registrationSecret,subscription",
            $"{clash.Iccid},{sims[0].Imsi},pw,plan01s",
            $"{sims[1].Iccid},{clash.Imsi},pw,plan01s"));
        code.ShouldBe(1);
        stdout.Trim().Split('\n').ShouldBe([
            "imported 0, skipped 0, rejected 2",
            $"line 2: imsi {sims[0].Imsi} already belongs to SIM {sims[0].Iccid}",
            $"line 3: iccid {sims[1].Iccid} already exists with another imsi"]);
    }

    [Theory]
    [InlineData("iccid,imsi,subscription", "lacks the column(s) registrationSecret")]
    [InlineData("iccid,imsi,registrationSecret,subscription,colour", "unknown column 'colour'")]
    [InlineData("", "the file is empty")]
    public async Task ImportSims_BadHeader_IsAUsageErrorAndWritesNothing(string header, string message)
    {
        var sim = NewSim();
        var file = WriteCsv(header, $"{sim.Iccid},{sim.Imsi},pw,plan01s");
        if (header.Length == 0)
        {
            await File.WriteAllTextAsync(file, "\n\n");
        }

        var (code, _, stderr) = await AdminAsync("import-sims", "--file", file);
        code.ShouldBe(2);
        stderr.ShouldContain(message);
        var op = await server.NewOperatorAsync();
        (await op.PostAsync($"/v1/subscribers/{sim.Imsi}/register", new { registrationSecret = "pw" })).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ImportSims_MissingFileOrFlag_IsAUsageError()
    {
        (await AdminAsync("import-sims")).Code.ShouldBe(2);
        (await AdminAsync("import-sims", "--file", Path.Combine(directory, "nope.csv"))).Code.ShouldBe(2);
        (await AdminAsync("import-sims", "--file", WriteCsv("iccid"), "--bogus", "1")).Code.ShouldBe(2);
        (await AdminAsync("no-such-command")).Code.ShouldBe(2);
    }

    private async Task<(int Code, string Stdout, string Stderr)> AdminAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AdminCommands.RunAsync([args[0], .. args[1..], "--database", server.Database.ConnectionString], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string WriteCsv(params string[] lines)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n");
        return path;
    }

    private static (string Iccid, string Imsi) NewSim() =>
        ("8981" + Digits(15), "44010" + Digits(10));

    private static string Digits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + Random.Shared.Next(10))));
}

public sealed class AdminCommandsTests_Sqlite(SqliteServer server) : AdminCommandsTests(server), IClassFixture<SqliteServer>;

public sealed class AdminCommandsTests_Postgres(PostgresServer server) : AdminCommandsTests(server), IClassFixture<PostgresServer>;

public sealed class CsvReaderTests
{
    [Fact]
    public void Read_QuotedFields_HoldCommasQuotesAndLineBreaks()
    {
        var records = CsvReader.Read(new StringReader("\uFEFFa,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\n\nlast")).ToList();
        records.Count.ShouldBe(3);
        records[0].ShouldSatisfyAllConditions(r => r.Line.ShouldBe(1), r => r.Fields.ShouldBe(["a", "b,1", "say \"hi\""]));
        records[1].ShouldSatisfyAllConditions(r => r.Line.ShouldBe(2), r => r.Fields.ShouldBe(["multi\nline", "", "x"]));
        records[2].ShouldSatisfyAllConditions(r => r.Line.ShouldBe(5), r => r.Fields.ShouldBe(["last"]), r => r.Error.ShouldBeNull());
    }

    [Fact]
    public void Read_UnclosedQuote_IsAnErrorOnItsRecord()
    {
        var records = CsvReader.Read(new StringReader("a,b\n\"open,c\nd")).ToList();
        records.Count.ShouldBe(2);
        records[1].Line.ShouldBe(2);
        records[1].Error.ShouldBe("a quoted field is never closed");
    }
}
