using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// <see cref="OutboxWriter"/> is the only writer of <c>domain_events</c>: an event added to a context any other way
/// is refused at the save, and the hand-written path takes the outbox lock itself.
/// </summary>
public abstract class OutboxWriterTests(ServerFixture server)
{
    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private static DomainEvent Event(string type) => new() { OperatorId = "OP-OUTBOX", SimId = "SIM-OUTBOX", Type = type, OccurredTime = 1 };

    [Fact]
    public async Task AnEventAddedPastTheWriter_IsRefusedAtTheSave_AndNothingIsWritten()
    {
        await using var db = Db();
        var stray = Event("StrayViaDbSet");
        db.DomainEvents.Add(stray);
        var error = await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        error.Message.ShouldContain("StrayViaDbSet");

        db.ChangeTracker.Clear();
        db.Add((object)Event("StrayViaAdd"));
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        await using var check = Db();
        (await check.DomainEvents.AnyAsync(e => e.Type == "StrayViaDbSet" || e.Type == "StrayViaAdd")).ShouldBeFalse();
    }

    [Fact]
    public async Task AStagedEvent_IsWrittenByTheNextSave_AndAClearedTrackerForgetsIt()
    {
        await using var db = Db();
        var forgotten = Event("StagedThenCleared");
        db.Outbox.Stage(forgotten);
        db.ChangeTracker.Clear();
        var kept = Event("StagedAndSaved");
        db.Outbox.Stage(kept);
        await db.SaveChangesAsync();

        kept.Id.ShouldBeGreaterThan(0);
        (await db.DomainEvents.AsNoTracking().CountAsync(e => e.Type == "StagedAndSaved")).ShouldBe(1);
        (await db.DomainEvents.AsNoTracking().AnyAsync(e => e.Type == "StagedThenCleared")).ShouldBeFalse();
    }

    [Fact]
    public async Task Append_WritesTheRowsInOrder_AndOnPostgreSqlRequiresATransaction()
    {
        await using var db = Db();
        OutboxRow[] rows = [new("OP-OUTBOX", "SIM-APPEND", "001", "AppendOne", "{}"), new("OP-OUTBOX", "SIM-APPEND", "001", "AppendTwo", "{}")];
        if (server.Database.Kind == DatabaseKind.Postgres)
        {
            await Should.ThrowAsync<InvalidOperationException>(() => db.Outbox.AppendAsync(rows, 5));
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Outbox.AppendAsync(rows, 5);
            await transaction.CommitAsync();
        }

        var written = await db.DomainEvents.AsNoTracking().Where(e => e.SimId == "SIM-APPEND").OrderBy(e => e.Id).ToListAsync();
        written.Select(e => e.Type).ShouldBe(["AppendOne", "AppendTwo"]);
        written.ShouldAllBe(e => e.OccurredTime == 5 && e.Imsi == "001" && e.NewValue == "{}");
    }
}

public sealed class OutboxWriterTests_Sqlite(SqliteServer server) : OutboxWriterTests(server), IClassFixture<SqliteServer>;

public sealed class OutboxWriterTests_Postgres(PostgresServer server) : OutboxWriterTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// Fails if code under src/ other than <c>OutboxWriter.cs</c> inserts domain events: through the EF set, with the
/// table's name in SQL, or with the model's name for it. (Core's <c>Sim</c> only stages events in its own list.)
/// </summary>
public sealed class OutboxWriterSourceTests
{
    private static readonly Regex[] Forbidden =
    [
        new(@"DomainEvents\s*\.\s*(Add|AddRange|Attach|AttachRange|Update|UpdateRange)\s*\(", RegexOptions.Compiled),
        new(@"Set<DomainEvent>\s*\(\s*\)\s*\.\s*(Add|AddRange|Attach|AttachRange)", RegexOptions.Compiled),
        new(@"Table<DomainEvent>", RegexOptions.Compiled),
        new(@"domain_events", RegexOptions.Compiled),
        new(@"pg_advisory_xact_lock", RegexOptions.Compiled),
    ];

    /// <summary>Files allowed to match: the writer, the table's mapping, and the other advisory locks (which refuse the outbox's key).</summary>
    private static readonly string[] Allowed =
    [
        Path.Combine("src", "Simlane.Storage", "OutboxWriter.cs"),
        Path.Combine("src", "Simlane.Storage", "AdvisoryLocks.cs"),
        Path.Combine("src", "Simlane.Storage", "Configuration", "Outbox.cs"),
    ];

    [Fact]
    public void OnlyTheOutboxWriter_InsertsDomainEvents()
    {
        var src = Path.Combine(Spec.RepositoryRoot, "src");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Spec.RepositoryRoot, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj") || parts.Contains("Migrations") || Allowed.Contains(relative))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                if (Forbidden.FirstOrDefault(r => r.IsMatch(code)) is { } rule)
                {
                    offenders.Add($"{relative}:{i + 1}: {rule}");
                }
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void TheCheck_FindsADirectInsert()
    {
        Forbidden.Any(r => r.IsMatch("db.DomainEvents.Add(new DomainEvent { Type = \"X\" });")).ShouldBeTrue();
        Forbidden.Any(r => r.IsMatch("var sql = $\"INSERT INTO {ModelNames.Table<DomainEvent>(model)} VALUES\";")).ShouldBeTrue();
        Forbidden.Any(r => r.IsMatch("await db.Database.ExecuteSqlRawAsync(\"INSERT INTO domain_events (type) VALUES ('X')\");")).ShouldBeTrue();
    }
}
