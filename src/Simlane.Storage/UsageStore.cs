using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Simlane.Core.Sims;
using Simlane.Core.Usage;

namespace Simlane.Storage;

/// <summary>What metering needs to know about the SIM behind an IMSI.</summary>
public sealed record ImsiTarget(string Imsi, string SimId, string OperatorId, string? GroupId, string SpeedClass, long? GroupChangedTime);

/// <summary>The key of one <see cref="UsageCounter"/> row.</summary>
public readonly record struct CounterKey(UsageScope Scope, string ScopeId, UsagePeriod Period, long BucketStart, string SpeedClass)
{
    /// <summary>The primary key's order of <c>usage_counters</c> (strings ordinal), in which counters are written.</summary>
    public static int Compare(CounterKey a, CounterKey b)
    {
        var c = a.Scope.CompareTo(b.Scope);
        c = c != 0 ? c : string.CompareOrdinal(a.ScopeId, b.ScopeId);
        c = c != 0 ? c : a.Period.CompareTo(b.Period);
        c = c != 0 ? c : a.BucketStart.CompareTo(b.BucketStart);
        return c != 0 ? c : string.CompareOrdinal(a.SpeedClass, b.SpeedClass);
    }
}

/// <summary>A record ID to insert under the operator of its SIM (<see cref="UsageStore.InsertRecordIdsAsync"/>).</summary>
public sealed record NewUsageRecord(string OperatorId, string RecordId, string Imsi, long Unixtime);

/// <summary>
/// The SQL of the metering hot path (usage records, counters; its outbox events go through <see cref="OutboxWriter.AppendAsync"/>), in multi-row statements
/// that EF cannot express (<c>INSERT … ON CONFLICT … DO UPDATE SET x = t.x + excluded.x</c>, <c>RETURNING</c>),
/// the same SQL on SQLite and PostgreSQL. Runs on the context's connection, in its current transaction.
/// Table and column names come from the EF model (<see cref="ModelNames"/>), built once per model.
/// </summary>
public sealed class UsageStore(SimlaneDb db)
{
    private static readonly ConditionalWeakTable<IModel, Statements> Cache = [];

    private Statements Sql => Cache.GetValue(db.Model, m => new Statements(m));

    /// <summary>
    /// Builds (and so checks) every statement against <paramref name="model"/>: throws if a table or column
    /// they name is not mapped. Called by tests for both providers.
    /// </summary>
    public static void Verify(IModel model) => _ = Cache.GetValue(model, m => new Statements(m));

    /// <summary>
    /// On SQLite, grows this connection's page cache: counter upserts touch random pages of a large B-tree and
    /// SQLite's default 2 MiB cache makes every batch read them from disk again. The pragma is per connection
    /// (pooled), so it sticks. Nothing on PostgreSQL.
    /// </summary>
    public async Task PrepareConnectionAsync()
    {
        if (db is not PostgresSimlaneDb)
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -32768");
        }
    }

    /// <summary>
    /// The SIM behind every IMSI of <paramref name="imsis"/> that is known among registered SIMs
    /// (<paramref name="operatorId"/> null: the platform gateway) or one operator's SIMs. One statement (the IMSIs as one list parameter):
    /// this runs for every record of every batch.
    /// </summary>
    public async Task<Dictionary<string, ImsiTarget>> ResolveImsisAsync(IReadOnlyList<string> imsis, string? operatorId)
    {
        var (connection, tx) = await ConnectionAsync();
        var targets = new Dictionary<string, ImsiTarget>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder(Sql.Resolve)
            .Append(operatorId is null ? Sql.ResolveAnyOperator : Sql.ResolveOneOperator)
            .Append(Sql.ResolveImsiIn);
        MultiRowSql.AppendInList(db, command, sql, "@imsis", imsis);
        if (operatorId is not null)
        {
            AddParameter(command, "@operator", operatorId);
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var target = Target(reader);
            targets[target.Imsi] = target;
        }

        return targets;
    }

    /// <summary>
    /// The group memberships of <paramref name="simIds"/> (<see cref="GroupMembership"/>), oldest first per SIM:
    /// (joined, left or null while current, group), epoch ms.
    /// </summary>
    public async Task<Dictionary<string, List<(long From, long? To, string GroupId)>>> GroupMembershipsAsync(IReadOnlyList<string> simIds)
    {
        var (connection, tx) = await ConnectionAsync();
        var history = new Dictionary<string, List<(long, long?, string)>>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder(Sql.Memberships);
        MultiRowSql.AppendInList(db, command, sql, "@sims", simIds);
        command.CommandText = sql.Append(Sql.MembershipsOrder).ToString();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var simId = reader.GetString(0);
            if (!history.TryGetValue(simId, out var stays))
            {
                history[simId] = stays = [];
            }

            stays.Add((reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3)));
        }

        return history;
    }

    /// <summary>
    /// Inserts the record IDs (distinct by operator and record ID) with <paramref name="acceptedTime"/>; answers
    /// the keys that were new (the rest that operator had accepted before). The conflict target is the primary
    /// key, so this is one index probe per record. Rows go in key order.
    /// </summary>
    public async Task<HashSet<(string OperatorId, string RecordId)>> InsertRecordIdsAsync(IEnumerable<NewUsageRecord> records, long acceptedTime)
    {
        var rows = records
            .DistinctBy(r => (r.OperatorId, r.RecordId))
            .OrderBy(r => r.OperatorId, StringComparer.Ordinal).ThenBy(r => r.RecordId, StringComparer.Ordinal)
            .ToList();
        var inserted = new HashSet<(string, string)>();
        await BatchAsync(
            rows, 5, n => Sql.InsertRecords + Values(n, 5) + Sql.InsertRecordsConflict,
            (row, values) =>
            {
                values[0] = row.OperatorId;
                values[1] = row.RecordId;
                values[2] = row.Imsi;
                values[3] = row.Unixtime;
                values[4] = acceptedTime;
            },
            async command =>
            {
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    inserted.Add((reader.GetString(0), reader.GetString(1)));
                }
            });
        return inserted;
    }

    /// <summary>The IMSIs among <paramref name="imsis"/> that already have an all-time counter (had traffic before).</summary>
    public async Task<HashSet<string>> ImsisWithTrafficAsync(IReadOnlyList<string> imsis)
    {
        var (connection, tx) = await ConnectionAsync();
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder(Sql.WithTraffic);
        MultiRowSql.AppendInList(db, command, sql, "@imsis", imsis);
        AddParameter(command, "@scope", (short)UsageScope.Subscriber);
        AddParameter(command, "@period", (short)UsagePeriod.AllTime);
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    /// <summary>
    /// Adds a checkpoint's counters (decision S70): each row gets <paramref name="through"/>, the checkpoint's freeze point, and a row
    /// that already has it (written by an earlier attempt of the same checkpoint) is left alone, so a checkpoint resumed after a
    /// crash or a retry counts nothing twice. <paramref name="rows"/> must be in key order (<see cref="CounterKey.Compare"/>), so that
    /// two writers lock shared rows in the same order and cannot deadlock on PostgreSQL.
    /// </summary>
    public async Task AddToCountersAsync(List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> rows, long through)
    {
        if (db is PostgresSimlaneDb && rows.Count > CopyThreshold)
        {
            await CopyToCountersAsync(rows, through);
            return;
        }

        if (db is not PostgresSimlaneDb)
        {
            await JsonToCountersAsync(rows, through);
            return;
        }

        await BatchAsync(
            rows, 11, n => Sql.UpsertCounters + Values(n, 11) + Sql.UpsertCountersConflict,
            (row, values) =>
            {
                var (key, (operatorId, traffic)) = (row.Key, row.Value);
                values[0] = (short)key.Scope;
                values[1] = key.ScopeId;
                values[2] = (short)key.Period;
                values[3] = key.BucketStart;
                values[4] = key.SpeedClass;
                values[5] = operatorId;
                values[6] = traffic.UploadBytes;
                values[7] = traffic.DownloadBytes;
                values[8] = traffic.UploadPackets;
                values[9] = traffic.DownloadPackets;
                values[10] = through;
            },
            command => command.ExecuteNonQueryAsync());
    }

    /// <summary>
    /// SQLite (a checkpoint's chunk): one statement that reads the rows from a JSON array parameter
    /// (<c>jsonb_each</c>), in the array's (key) order. One-row statements cost ~8 µs a counter at a million SIMs, about twice
    /// the B-tree work alone (docs/performance.md, sixth measurement): the binding of eleven parameters and a step per row.
    /// </summary>
    private async Task JsonToCountersAsync(List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> rows, long through)
    {
        var json = new System.Buffers.ArrayBufferWriter<byte>(rows.Count * 96);
        using (var writer = new System.Text.Json.Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            foreach (var (key, (operatorId, traffic)) in rows)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue((short)key.Scope);
                writer.WriteStringValue(key.ScopeId);
                writer.WriteNumberValue((short)key.Period);
                writer.WriteNumberValue(key.BucketStart);
                writer.WriteStringValue(key.SpeedClass);
                writer.WriteStringValue(operatorId);
                writer.WriteNumberValue(traffic.UploadBytes);
                writer.WriteNumberValue(traffic.DownloadBytes);
                writer.WriteNumberValue(traffic.UploadPackets);
                writer.WriteNumberValue(traffic.DownloadPackets);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        await using var command = await CommandAsync(Sql.UpsertCountersFromJson, ("@rows", Encoding.UTF8.GetString(json.WrittenSpan)), ("@through", through));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Counters beyond which PostgreSQL gets them through <c>COPY</c> (<see cref="CopyToCountersAsync"/>).</summary>
    private const int CopyThreshold = 2_000;

    /// <summary>
    /// PostgreSQL, many counters (the checkpoint): binary <c>COPY</c> into a transaction-scoped temporary table, then one
    /// <c>INSERT … SELECT … ORDER BY key ON CONFLICT DO UPDATE</c>. Measured on the checkpoint, multi-row upserts took
    /// ~22 µs a counter (docs/performance.md): the statement text, its 8,000 parameters and the round trip per 800 rows.
    /// </summary>
    private async Task CopyToCountersAsync(List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> rows, long through)
    {
        await using (var create = await CommandAsync(Sql.CounterDeltaTable))
        {
            await create.ExecuteNonQueryAsync();
        }

        var (connection, _) = await ConnectionAsync();
        await using (var copy = await ((Npgsql.NpgsqlConnection)connection).BeginBinaryImportAsync(Sql.CopyCounterDeltas))
        {
            foreach (var (key, (operatorId, traffic)) in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync((short)key.Scope, NpgsqlTypes.NpgsqlDbType.Smallint);
                await copy.WriteAsync(key.ScopeId, NpgsqlTypes.NpgsqlDbType.Text);
                await copy.WriteAsync((short)key.Period, NpgsqlTypes.NpgsqlDbType.Smallint);
                await copy.WriteAsync(key.BucketStart, NpgsqlTypes.NpgsqlDbType.Bigint);
                await copy.WriteAsync(key.SpeedClass, NpgsqlTypes.NpgsqlDbType.Text);
                await copy.WriteAsync(operatorId, NpgsqlTypes.NpgsqlDbType.Text);
                await copy.WriteAsync(traffic.UploadBytes, NpgsqlTypes.NpgsqlDbType.Bigint);
                await copy.WriteAsync(traffic.DownloadBytes, NpgsqlTypes.NpgsqlDbType.Bigint);
                await copy.WriteAsync(traffic.UploadPackets, NpgsqlTypes.NpgsqlDbType.Bigint);
                await copy.WriteAsync(traffic.DownloadPackets, NpgsqlTypes.NpgsqlDbType.Bigint);
                await copy.WriteAsync(through, NpgsqlTypes.NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        await using var merge = await CommandAsync(Sql.MergeCounterDeltas);
        await merge.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Appends accepted records to the journal (in the context's current transaction), one row per operator among them with the
    /// records packed (<see cref="UsageJournalBatch"/>, decision S69), and has the next <see cref="SimlaneDb.AfterCommit"/> wake the fold.
    /// </summary>
    public Task AppendJournalAsync(IReadOnlyList<UsageJournalEntry> entries) => AppendJournalRowsAsync(JournalRows(entries));

    /// <summary>The journal rows holding <paramref name="entries"/>: one per operator among them (encoded here, outside any transaction if the caller likes).</summary>
    public static List<UsageJournalBatch> JournalRows(IReadOnlyList<UsageJournalEntry> entries) =>
        entries.GroupBy(e => e.OperatorId, StringComparer.Ordinal).Select(g => UsageJournalBatch.Of(g.ToList())).ToList();

    /// <summary>
    /// Appends journal rows built by <see cref="JournalRows"/> (in the context's current transaction) and has the next
    /// <see cref="SimlaneDb.AfterCommit"/> wake the fold: ingest encodes its rows before it takes the writer and appends a
    /// whole group of batches here at once (group commit).
    /// </summary>
    public async Task AppendJournalRowsAsync(IReadOnlyList<UsageJournalBatch> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // PostgreSQL: appends one at a time until commit, so journal ids are in commit order and the fold, which reads
        // the entries after its cursor, can never pass over an entry that commits later with a smaller id. (SQLite's
        // single writer already orders them.) Ingest batches are large, so this orders few, short commits.
        await AdvisoryLocks.TakeAsync(db, AdvisoryLocks.JournalAppend, CancellationToken.None);
        await BatchAsync(
            rows, 4, n => Sql.AppendJournal + Values(n, 4),
            (row, values) =>
            {
                values[0] = row.OperatorId;
                values[1] = row.AcceptedTime;
                values[2] = row.Records;
                values[3] = row.Data;
            },
            command => command.ExecuteNonQueryAsync());
        db.DeferUntilCommit(CommittedChanges.UsageJournal);
    }

    /// <summary>
    /// The journal's records in rows after id <paramref name="afterId"/> (up to id <paramref name="throughId"/> if given), in id order:
    /// whole rows until they hold at least <paramref name="limit"/> records (a row, one ingest batch, is never split between two folds).
    /// </summary>
    public async Task<List<UsageJournalEntry>> ReadJournalAsync(long afterId, int limit, long? throughId, CancellationToken cancellationToken)
    {
        var entries = new List<UsageJournalEntry>();
        await using var command = await CommandAsync(Sql.ReadJournal, ("@after", afterId), ("@through", throughId ?? long.MaxValue), ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (entries.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            UsageJournalCodec.Decode(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3), entries.Add);
        }

        return entries;
    }

    /// <summary>Deletes the journal entries up to id <paramref name="throughId"/> (the checkpoint wrote their counters).</summary>
    public async Task DeleteJournalAsync(long throughId, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(Sql.DeleteJournal, ("@through", throughId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The fold's durable positions (<see cref="UsageFoldCursors"/>); 0 while a cursor row is absent.</summary>
    public async Task<FoldCursors> FoldCursorsAsync(CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            Sql.FoldCursors, ("@folded", UsageFoldCursors.Folded), ("@checkpoint", UsageFoldCursors.Checkpoint), ("@frozen", UsageFoldCursors.Frozen));
        long folded = 0, checkpoint = 0, frozen = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(0))
            {
                case UsageFoldCursors.Folded:
                    folded = reader.GetInt64(1);
                    break;
                case UsageFoldCursors.Checkpoint:
                    checkpoint = reader.GetInt64(1);
                    break;
                default:
                    frozen = reader.GetInt64(1);
                    break;
            }
        }

        return new FoldCursors(folded, checkpoint, frozen);
    }

    /// <summary>
    /// PostgreSQL: share-locks the checkpoint's cursor rows (generation and freeze point) until the transaction ends, so that a
    /// checkpoint's chunk and whatever moves them (a freeze, a completion, a sandbox operator's deletion, on any server) do
    /// not overlap: the chunk that checked them writes under the state it checked. The fold, which moves only its own
    /// cursor, is not held up. SQLite's single writer already orders them.
    /// </summary>
    public async Task LockCheckpointCursorsAsync(CancellationToken cancellationToken)
    {
        if (db is not PostgresSimlaneDb)
        {
            return;
        }

        await using var command = await CommandAsync(Sql.LockCheckpointCursors, ("@checkpoint", UsageFoldCursors.Checkpoint), ("@frozen", UsageFoldCursors.Frozen));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sets cursor <paramref name="name"/> (<see cref="UsageFoldCursors"/>) to <paramref name="position"/>, creating it if absent (the checkpoint generation only moves on by one: <see cref="EngineCursorSql.BumpStampAsync"/>).</summary>
    public async Task SetFoldCursorAsync(string name, long position, long time, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(Sql.SetCursor, ("@name", name), ("@position", position), ("@time", time));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every subscription of a registered SIM, streamed (the IMSI directory's load).</summary>
    public async IAsyncEnumerable<ImsiTarget> AllImsisAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(Sql.Resolve + Sql.ResolveAnyOperator);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Target(reader);
        }
    }

    /// <summary>
    /// A row of <see cref="Statements.Resolve"/>. Operator, group and speed class are interned: the IMSI directory keeps a target
    /// per subscription, and these few values repeat across a million of them.
    /// </summary>
    private static ImsiTarget Target(DbDataReader reader) =>
        new(
            reader.GetString(0), reader.GetString(1), string.Intern(reader.GetString(2)), reader.IsDBNull(3) ? null : string.Intern(reader.GetString(3)),
            string.Intern(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetInt64(5));

    /// <summary>The highest journal id committed (null: the journal is empty, everything accepted is folded).</summary>
    public async Task<long?> JournalHeadAsync(CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(Sql.JournalHead);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private Task<(DbConnection Connection, DbTransaction? Transaction)> ConnectionAsync() => MultiRowSql.ConnectionAsync(db);

    private Task<DbCommand> CommandAsync(string sql, params (string Name, object Value)[] parameters) => MultiRowSql.CommandAsync(db, sql, parameters);

    private Task BatchAsync<T>(IReadOnlyList<T> rows, int columns, Func<int, string> sql, Action<T, object[]> bind, Func<DbCommand, Task> execute) =>
        MultiRowSql.BatchAsync(db, rows, columns, sql, bind, execute);

    private static string Values(int rows, int columns) => MultiRowSql.Values(rows, columns);

    private static void AddParameter(DbCommand command, string name, object value) => MultiRowSql.AddParameter(command, name, value);

    /// <summary>The statement texts, with names from one model.</summary>
    private sealed class Statements
    {
        public Statements(IModel model)
        {
            string C<T>(string property) => ModelNames.Column<T>(model, property);
            var subscriptions = ModelNames.Table<Subscription>(model);
            var sims = ModelNames.Table<Sim>(model);
            var simId = C<Sim>(nameof(Sim.SimId));
            var simOperator = C<Sim>(nameof(Sim.OperatorId));
            Resolve = $"SELECT x.{C<Subscription>(nameof(Subscription.Imsi))}, s.{simId}, s.{simOperator}, s.{C<Sim>(nameof(Sim.GroupId))}, "
                + $"s.{C<Sim>(nameof(Sim.SpeedClass))}, s.{C<Sim>(nameof(Sim.GroupChangedTime))} "
                + $"FROM {subscriptions} x JOIN {sims} s ON s.{simId} = x.{C<Subscription>(nameof(Subscription.SimId))} WHERE ";
            ResolveAnyOperator = $"s.{simOperator} IS NOT NULL";
            ResolveOneOperator = $"s.{simOperator} = @operator";
            ResolveImsiIn = $" AND x.{C<Subscription>(nameof(Subscription.Imsi))}";

            string M(string property) => C<GroupMembership>(property);
            Memberships = $"SELECT {M(nameof(GroupMembership.SimId))}, {M(nameof(GroupMembership.FromTime))}, {M(nameof(GroupMembership.ToTime))}, "
                + $"{M(nameof(GroupMembership.GroupId))} FROM {ModelNames.Table<GroupMembership>(model)} WHERE {M(nameof(GroupMembership.SimId))}";
            MembershipsOrder = $" ORDER BY {M(nameof(GroupMembership.SimId))}, {M(nameof(GroupMembership.FromTime))}, {M(nameof(GroupMembership.Id))}";

            string R(string property) => C<AcceptedUsageRecord>(property);
            var records = ModelNames.Table<AcceptedUsageRecord>(model);
            InsertRecords = $"INSERT INTO {records} ({R(nameof(AcceptedUsageRecord.OperatorId))}, {R(nameof(AcceptedUsageRecord.RecordId))}, "
                + $"{R(nameof(AcceptedUsageRecord.Imsi))}, {R(nameof(AcceptedUsageRecord.Unixtime))}, {R(nameof(AcceptedUsageRecord.AcceptedTime))}) VALUES ";
            InsertRecordsConflict = $" ON CONFLICT ({R(nameof(AcceptedUsageRecord.OperatorId))}, {R(nameof(AcceptedUsageRecord.RecordId))}) DO NOTHING "
                + $"RETURNING {R(nameof(AcceptedUsageRecord.OperatorId))}, {R(nameof(AcceptedUsageRecord.RecordId))}";

            string U(string property) => C<UsageCounter>(property);
            var counters = ModelNames.Table<UsageCounter>(model);
            var key = $"{U(nameof(UsageCounter.Scope))}, {U(nameof(UsageCounter.ScopeId))}, {U(nameof(UsageCounter.Period))}, "
                + $"{U(nameof(UsageCounter.BucketStart))}, {U(nameof(UsageCounter.SpeedClass))}";
            string[] sums = [U(nameof(UsageCounter.UploadBytes)), U(nameof(UsageCounter.DownloadBytes)), U(nameof(UsageCounter.UploadPackets)), U(nameof(UsageCounter.DownloadPackets))];
            WithTraffic = $"SELECT DISTINCT {U(nameof(UsageCounter.ScopeId))} FROM {counters} WHERE {U(nameof(UsageCounter.Scope))} = @scope "
                + $"AND {U(nameof(UsageCounter.Period))} = @period AND {U(nameof(UsageCounter.BucketStart))} = 0 AND {U(nameof(UsageCounter.ScopeId))}";
            var counterThrough = U(nameof(UsageCounter.Through));
            UpsertCounters = $"INSERT INTO {counters} ({key}, {U(nameof(UsageCounter.OperatorId))}, {string.Join(", ", sums)}, {counterThrough}) VALUES ";
            UpsertCountersConflict = $" ON CONFLICT ({key}) DO UPDATE SET " + string.Join(", ", sums.Select(c => $"{c} = {counters}.{c} + excluded.{c}"))
                + $", {counterThrough} = excluded.{counterThrough} WHERE {counters}.{counterThrough} < excluded.{counterThrough}";
            var deltaColumns = $"{key}, {U(nameof(UsageCounter.OperatorId))}, {string.Join(", ", sums)}, {counterThrough}";

            // "WHERE true": an upsert's SELECT needs a WHERE clause before ON CONFLICT (SQLite's parsing ambiguity). jsonb_each, not
            // json_each: the text is parsed once and each row is handed on as binary JSON, which ->> reads in place; json_each handed
            // each row on as text, which every ->> converted to binary again (a fifth of the CPU during a checkpoint, S74).
            UpsertCountersFromJson = $"INSERT INTO {counters} ({deltaColumns}) SELECT "
                + string.Join(", ", Enumerable.Range(0, 10).Select(i => $"value ->> {i}")) + ", @through FROM jsonb_each(@rows) WHERE true" + UpsertCountersConflict;
            CounterDeltaTable = "CREATE TEMP TABLE IF NOT EXISTS usage_counter_deltas (scope smallint, scope_id text, period smallint, bucket_start bigint, "
                + "speed_class text, operator_id text, upload_bytes bigint, download_bytes bigint, upload_packets bigint, download_packets bigint, through bigint) "
                + "ON COMMIT DELETE ROWS";
            CopyCounterDeltas = "COPY usage_counter_deltas FROM STDIN (FORMAT BINARY)";
            MergeCounterDeltas = $"INSERT INTO {counters} ({deltaColumns}) SELECT scope, scope_id, period, bucket_start, speed_class, operator_id, "
                + "upload_bytes, download_bytes, upload_packets, download_packets, through FROM usage_counter_deltas "
                + "ORDER BY scope, scope_id COLLATE \"C\", period, bucket_start, speed_class COLLATE \"C\"" + UpsertCountersConflict;

            string J(string property) => C<UsageJournalBatch>(property);
            var journal = ModelNames.Table<UsageJournalBatch>(model);
            var journalId = J(nameof(UsageJournalBatch.Id));
            AppendJournal = $"INSERT INTO {journal} ({J(nameof(UsageJournalBatch.OperatorId))}, {J(nameof(UsageJournalBatch.AcceptedTime))}, "
                + $"{J(nameof(UsageJournalBatch.Records))}, {J(nameof(UsageJournalBatch.Data))}) VALUES ";
            var select = $"SELECT {journalId}, {J(nameof(UsageJournalBatch.OperatorId))}, {J(nameof(UsageJournalBatch.AcceptedTime))}, "
                + $"{J(nameof(UsageJournalBatch.Data))} FROM {journal} WHERE ";

            // A row holds at least one record, so the first @limit rows hold every row the fold may take.
            ReadJournal = select + $"{journalId} > @after AND {journalId} <= @through ORDER BY {journalId} LIMIT @limit";
            DeleteJournal = $"DELETE FROM {journal} WHERE {journalId} <= @through";
            JournalHead = $"SELECT MAX({journalId}) FROM {journal}";

            string E(string property) => C<EngineCursor>(property);
            var cursors = ModelNames.Table<EngineCursor>(model);
            var (name, position, updated) = (E(nameof(EngineCursor.Name)), E(nameof(EngineCursor.Position)), E(nameof(EngineCursor.UpdatedTime)));
            FoldCursors = $"SELECT {name}, {position} FROM {cursors} WHERE {name} IN (@folded, @checkpoint, @frozen)";
            LockCheckpointCursors = $"SELECT {position} FROM {cursors} WHERE {name} IN (@checkpoint, @frozen) FOR SHARE";

            SetCursor = $"INSERT INTO {cursors} ({name}, {position}, {updated}) VALUES (@name, @position, @time) "
                + $"ON CONFLICT ({name}) DO UPDATE SET {position} = excluded.{position}, {updated} = excluded.{updated}";
        }

        public string Resolve { get; }

        public string ResolveAnyOperator { get; }

        public string ResolveOneOperator { get; }

        public string ResolveImsiIn { get; }

        public string Memberships { get; }

        public string MembershipsOrder { get; }

        public string InsertRecords { get; }

        public string InsertRecordsConflict { get; }

        public string WithTraffic { get; }

        public string UpsertCounters { get; }

        public string UpsertCountersConflict { get; }

        public string UpsertCountersFromJson { get; }

        public string CounterDeltaTable { get; }

        public string CopyCounterDeltas { get; }

        public string MergeCounterDeltas { get; }

        public string AppendJournal { get; }

        public string ReadJournal { get; }

        public string DeleteJournal { get; }

        public string FoldCursors { get; }

        public string LockCheckpointCursors { get; }

        public string SetCursor { get; }

        public string JournalHead { get; }
    }
}

/// <summary>The usage fold's durable positions, rows of <c>engine_cursors</c> (decision S63).</summary>
public static class UsageFoldCursors
{
    /// <summary>The highest journal id folded: its events written, its traffic in the folding server's <c>UsageOverlay</c>.</summary>
    public const string Folded = "usage-folded";

    /// <summary>
    /// The checkpoint generation: moves on by one when a checkpoint freezes the overlay and when it completes (and with whatever
    /// else rewrites counters or the journal under the fold); an overlay of another generation is rebuilt from the journal.
    /// </summary>
    public const string Checkpoint = "usage-checkpoint";

    /// <summary>The freeze point of the checkpoint under way (the journal row id its layer goes up to), 0 when none is (decision S70).</summary>
    public const string Frozen = "usage-frozen";
}

/// <summary>The fold's durable positions, read together (<see cref="UsageFoldCursors"/>).</summary>
/// <param name="Folded">The highest journal row folded.</param>
/// <param name="Checkpoint">The checkpoint generation.</param>
/// <param name="Frozen">The freeze point of the checkpoint under way, 0 when none is.</param>
public readonly record struct FoldCursors(long Folded, long Checkpoint, long Frozen);
