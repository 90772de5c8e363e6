using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Simlane.Core.Errors;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// One usage record, shape-checked but not yet resolved to a SIM. Record IDs are scoped to the operator of
/// the record's SIM. Entries that share an operator and a <see cref="RecordId"/> in one batch are either
/// parts of one record (the sandbox's per-speed-class map), accepted or skipped together, or repeats of
/// which the first counts (the gateway), by <see cref="Metering.IngestAsync"/>'s <c>sharedIdsAreParts</c>.
/// </summary>
/// <param name="Index">Position in the caller's batch, for error messages.</param>
/// <param name="RecordId">The gateway's record ID (de-duplication key, with the SIM's operator).</param>
/// <param name="Imsi">The subscriber the traffic belongs to.</param>
/// <param name="Unixtime">The record's own time, epoch seconds: it counts toward that time's buckets.</param>
/// <param name="SpeedClass">Null: the SIM's current speed class.</param>
/// <param name="Traffic">Bytes and packets.</param>
public sealed record MeterInput(int Index, string RecordId, string Imsi, long Unixtime, string? SpeedClass, TrafficTotals Traffic);

/// <summary>
/// How a batch ended: records counted, and records skipped because their operator already had a record
/// accepted with that ID (earlier, or earlier in the batch).
/// </summary>
public sealed record MeterResult(int Accepted, int Duplicates);

/// <summary>
/// The one metering path, used by the gateway (<c>POST /v1/gateway/usage</c>) and the sandbox
/// (<c>POST /v1/sandbox/stats/air/subscribers/{imsi}</c>). A batch is one transaction:
/// <list type="number">
/// <item>resolve every IMSI to its SIM in the caller's scope (an unknown or foreign IMSI rejects the batch);</item>
/// <item>insert the record IDs under the operator of their SIM, skipping those that operator already had
///   accepted (duplicates are never counted twice; another operator's record IDs are never seen);</item>
/// <item>aggregate the new records in memory and upsert the counters with one batched
///   <c>INSERT … ON CONFLICT … DO UPDATE SET x = usage_counters.x + excluded.x</c> (same SQL on SQLite and PostgreSQL):
///   Subscriber and Sim scopes in five-minute, day, month and all-time buckets, Group and Operator scopes in day,
///   month and all-time buckets;</item>
/// <item>write one <see cref="DomainEventTypes.UsageRecorded"/> event per IMSI touched, plus
///   <see cref="DomainEventTypes.FirstTraffic"/> for an IMSI that had no traffic before;</item>
/// <item>commit; the caller answers only after the commit (durable before the answer).</item>
/// </list>
/// Group counters accrue to the group the SIM belonged to <b>when the traffic happened</b> (the record's own
/// time), also for records that arrive after the SIM changed group: the outbox's GroupChanged events are the
/// membership history, read only for SIMs whose last change is later than one of their records.
/// </summary>
public sealed class Metering(SimlaneDb db, TimeProvider clock)
{
    /// <summary>How far in the future (by the server clock) a record's time may be (decisions.md 17).</summary>
    public const long MaxFutureSeconds = 300;

    /// <summary>On SQLite, a batch larger than this is committed in chunks of this many records (see <see cref="IngestAsync"/>).</summary>
    public const int SqliteCommitChunk = 250;

    private static readonly UsagePeriod[] SubscriberPeriods = [UsagePeriod.FiveMinutes, UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];
    private static readonly UsagePeriod[] AggregatePeriods = [UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];

    /// <summary>
    /// Checks a record's own time: not negative and at most <see cref="MaxFutureSeconds"/> ahead of the
    /// server clock. Every entry point (gateway, sandbox) applies the same rule; <paramref name="field"/>
    /// names the offending field in the 400.
    /// </summary>
    public static void ValidateTime(long unixtime, long nowSeconds, string field)
    {
        if (unixtime < 0)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: must not be negative");
        }

        if (unixtime > nowSeconds + MaxFutureSeconds)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: more than {MaxFutureSeconds} seconds in the future");
        }
    }

    /// <summary>What ingest needs to know about the SIM behind an IMSI.</summary>
    private sealed record Target(string Imsi, string SimId, string OperatorId, string? GroupId, string SpeedClass, long? GroupChangedTime);

    private readonly record struct CounterKey(UsageScope Scope, string ScopeId, UsagePeriod Period, long BucketStart, string SpeedClass);

    /// <summary>
    /// Meters <paramref name="inputs"/> for registered SIMs (<paramref name="operatorId"/> null) or one
    /// operator's SIMs. Throws (and changes nothing) if an IMSI is unknown in that scope; with <paramref name="rejectDuplicates"/> a record ID
    /// already accepted also throws <paramref name="duplicateError"/>. With <paramref name="sharedIdsAreParts"/>, entries with the
    /// same operator and record ID are parts of one record; without it, the first of them counts and the rest are duplicates.
    /// </summary>
    public async Task<MeterResult> IngestAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates = false, ErrorCode? duplicateError = null, bool sharedIdsAreParts = false)
    {
        if (inputs.Count == 0)
        {
            return new MeterResult(0, 0);
        }

        var sqlite = db is not PostgresSimlaneDb;
        if (!sqlite || rejectDuplicates || inputs.Count <= SqliteCommitChunk)
        {
            return await IngestOnceAsync(inputs, operatorId, rejectDuplicates, duplicateError, sharedIdsAreParts);
        }

        // SQLite, a large batch: validated whole first (an unknown IMSI anywhere changes nothing), then committed
        // in chunks, each its own turn at the single writer, so the rule engine is not kept waiting behind one long
        // transaction. A crash between chunks leaves the batch unacknowledged; the gateway sends it again and the
        // records already written are duplicates by their recordId (docs/gateway.md).
        await db.Database.OpenConnectionAsync();
        await ResolveAsync(db.Database.GetDbConnection(), null, inputs, operatorId);
        var accepted = 0;
        var duplicates = 0;
        foreach (var chunk in inputs.Chunk(SqliteCommitChunk))
        {
            var part = await IngestOnceAsync(chunk, operatorId, rejectDuplicates: false, duplicateError: null, sharedIdsAreParts);
            accepted += part.Accepted;
            duplicates += part.Duplicates;
        }

        return new MeterResult(accepted, duplicates);
    }

    /// <summary>One transaction (on SQLite, one turn at the writer gate) for <paramref name="inputs"/>.</summary>
    private async Task<MeterResult> IngestOnceAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates, ErrorCode? duplicateError, bool sharedIdsAreParts)
    {
        var sqlite = db is not PostgresSimlaneDb;

        // SQLite has one writer at a time. Queue batches here, in order, rather than in SQLite's busy handler,
        // which sleeps and retries and lets an unlucky batch wait for tens of seconds under load.
        using var gate = await db.EnterWriterGateAsync(priority: false, CancellationToken.None);
        if (sqlite)
        {
            // Counter upserts touch random pages of a large B-tree; SQLite's default 2 MiB page cache makes
            // every batch read them from disk again. The pragma is per connection (pooled), so it sticks.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -131072");
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await IngestInTransactionAsync(inputs, operatorId, transaction, rejectDuplicates, duplicateError, sharedIdsAreParts);
            await transaction.CommitAsync();
            if (result.Accepted > 0)
            {
                db.DomainEventsWritten?.Invoke();
            }

            return result;
        });
    }

    private async Task<MeterResult> IngestInTransactionAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, IDbContextTransaction transaction, bool rejectDuplicates, ErrorCode? duplicateError,
        bool sharedIdsAreParts)
    {
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();
        var now = clock.NowMs();

        var targets = await ResolveAsync(connection, tx, inputs, operatorId);
        var repeats = 0;
        if (!sharedIdsAreParts)
        {
            var records = inputs.DistinctBy(i => Key(i, targets)).ToList();
            repeats = inputs.Count - records.Count;
            inputs = records;
        }

        var inserted = await InsertRecordIdsAsync(connection, tx, inputs, targets, now);
        var recordIds = inputs.Select(i => Key(i, targets)).Distinct().Count();
        var duplicates = recordIds - inserted.Count + repeats;
        if (duplicates > 0 && rejectDuplicates)
        {
            throw new SimlaneException(duplicateError ?? ErrorCodes.InvalidRequest);
        }

        var counted = inputs.Where(i => inserted.Contains(Key(i, targets))).ToList();
        if (counted.Count == 0)
        {
            return new MeterResult(0, duplicates);
        }

        var imsis = counted.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var hadTraffic = await ImsisWithTrafficAsync(connection, tx, imsis);
        var groupHistory = await GroupHistoryAsync(connection, tx, counted, targets);

        var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
        var perImsi = new Dictionary<string, (TrafficTotals Traffic, long From, long To)>(StringComparer.Ordinal);
        foreach (var input in counted)
        {
            var target = targets[input.Imsi];
            var speedClass = input.SpeedClass ?? target.SpeedClass;
            foreach (var period in SubscriberPeriods)
            {
                var bucket = UsageWindows.BucketStart(period, input.Unixtime);
                Add(counters, new CounterKey(UsageScope.Subscriber, target.Imsi, period, bucket, speedClass), target.OperatorId, input.Traffic);
                Add(counters, new CounterKey(UsageScope.Sim, target.SimId, period, bucket, speedClass), target.OperatorId, input.Traffic);
            }

            foreach (var period in AggregatePeriods)
            {
                var bucket = UsageWindows.BucketStart(period, input.Unixtime);
                if (GroupAt(target, input.Unixtime, groupHistory) is { } groupId)
                {
                    Add(counters, new CounterKey(UsageScope.Group, groupId, period, bucket, speedClass), target.OperatorId, input.Traffic);
                }

                Add(counters, new CounterKey(UsageScope.Operator, target.OperatorId, period, bucket, speedClass), target.OperatorId, input.Traffic);
            }

            perImsi[input.Imsi] = perImsi.TryGetValue(input.Imsi, out var seen)
                ? (seen.Traffic + input.Traffic, Math.Min(seen.From, input.Unixtime), Math.Max(seen.To, input.Unixtime))
                : (input.Traffic, input.Unixtime, input.Unixtime);
        }

        await UpsertCountersAsync(connection, tx, counters);

        // Last write of the transaction: ids in commit order (SimlaneDb.LockOutboxAsync).
        await db.LockOutboxAsync(CancellationToken.None);
        await InsertEventsAsync(connection, tx, perImsi, targets, hadTraffic, now);
        return new MeterResult(inserted.Count, duplicates);
    }

    /// <summary>The de-duplication key of a record: the operator of its SIM and its record ID.</summary>
    private static (string OperatorId, string RecordId) Key(MeterInput input, Dictionary<string, Target> targets) =>
        (targets[input.Imsi].OperatorId, input.RecordId);

    private static void Add(Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters, CounterKey key, string operatorId, TrafficTotals traffic) =>
        counters[key] = counters.TryGetValue(key, out var existing) ? (operatorId, existing.Traffic + traffic) : (operatorId, traffic);

    /// <summary>
    /// The end of a record's second, epoch milliseconds: record times have one-second resolution, so a group
    /// change in the same second as a record (its milliseconds before this) counts as before the record.
    /// </summary>
    private static long SecondEndMs(long unixtime) => (unixtime + 1) * 1000;

    /// <summary>
    /// The group a SIM was in at the end of second <paramref name="unixtime"/>: its current group, unless it
    /// changed group in a later second, in which case the group it left first after that second. Traffic stamped
    /// in the same second as a set_group or unset_group counts for the new group (or none).
    /// </summary>
    private static string? GroupAt(Target target, long unixtime, Dictionary<string, List<(long Time, string? OldGroup)>> history)
    {
        var end = SecondEndMs(unixtime);
        if (target.GroupChangedTime is not { } changed || changed < end || !history.TryGetValue(target.SimId, out var changes))
        {
            return target.GroupId;
        }

        foreach (var (time, oldGroup) in changes)
        {
            if (time >= end)
            {
                return oldGroup;
            }
        }

        return target.GroupId;
    }

    /// <summary>
    /// Group changes (from the outbox's SIM-level GroupChanged events, oldest first) of the few SIMs whose
    /// last change is in a later second than one of their records in this batch: usually none, so usually no query.
    /// </summary>
    private static async Task<Dictionary<string, List<(long Time, string? OldGroup)>>> GroupHistoryAsync(
        DbConnection connection, DbTransaction tx, List<MeterInput> counted, Dictionary<string, Target> targets)
    {
        var history = new Dictionary<string, List<(long, string?)>>(StringComparer.Ordinal);
        var simIds = counted
            .Select(i => (Input: i, Target: targets[i.Imsi]))
            .Where(x => x.Target.GroupChangedTime is { } changed && changed >= SecondEndMs(x.Input.Unixtime))
            .Select(x => x.Target.SimId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var chunk in simIds.Chunk(256))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = new StringBuilder("SELECT sim_id, occurred_time, old_value FROM domain_events WHERE type = @type AND imsi IS NULL AND sim_id IN (");
            AddParameter(command, "@type", DomainEventTypes.GroupChanged);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "@p" : ",@p").Append(i);
                AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }

            command.CommandText = sql.Append(") ORDER BY sim_id, occurred_time, id").ToString();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var simId = reader.GetString(0);
                if (!history.TryGetValue(simId, out var changes))
                {
                    history[simId] = changes = [];
                }

                changes.Add((reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        return history;
    }

    /// <summary>
    /// The SIM behind every IMSI, among registered SIMs (<paramref name="operatorId"/> null: the platform
    /// gateway) or one operator's SIMs. Raw SQL in small IN lists: this runs for every record of every batch.
    /// </summary>
    private static async Task<Dictionary<string, Target>> ResolveAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<MeterInput> inputs, string? operatorId)
    {
        var imsis = inputs.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var targets = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (var chunk in imsis.Chunk(256))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = new StringBuilder("SELECT x.imsi, s.sim_id, s.operator_id, s.group_id, s.speed_class, s.group_changed_time FROM subscriptions x JOIN sims s ON s.sim_id = x.sim_id WHERE ")
                .Append(operatorId is null ? "s.operator_id IS NOT NULL" : "s.operator_id = @operator")
                .Append(" AND x.imsi IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "@p" : ",@p").Append(i);
                AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }

            if (operatorId is not null)
            {
                AddParameter(command, "@operator", operatorId);
            }

            command.CommandText = sql.Append(')').ToString();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var imsi = reader.GetString(0);
                targets[imsi] = new Target(imsi, reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5));
            }
        }

        var unknown = inputs.FirstOrDefault(i => !targets.ContainsKey(i.Imsi));
        return unknown is null
            ? targets
            : throw new SimlaneException(ErrorCodes.InvalidField, $"records[{unknown.Index}].imsi: unknown IMSI '{unknown.Imsi}'");
    }

    /// <summary>
    /// Inserts the record IDs under the operator of their SIM; answers the keys that were new (the rest that
    /// operator had accepted before). The conflict target is the primary key, so this is one index probe per record.
    /// </summary>
    private async Task<HashSet<(string OperatorId, string RecordId)>> InsertRecordIdsAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<MeterInput> inputs, Dictionary<string, Target> targets, long now)
    {
        var rows = inputs
            .Select(i => (Key: Key(i, targets), Input: i))
            .DistinctBy(r => r.Key)
            .OrderBy(r => r.Key.OperatorId, StringComparer.Ordinal).ThenBy(r => r.Key.RecordId, StringComparer.Ordinal)
            .ToList();
        var inserted = new HashSet<(string, string)>();
        await BatchAsync(
            connection, tx, rows, 5,
            n => "INSERT INTO usage_records (operator_id, record_id, imsi, unixtime, accepted_time) VALUES " + Values(n, 5)
                + " ON CONFLICT (operator_id, record_id) DO NOTHING RETURNING operator_id, record_id",
            (row, values) =>
            {
                values[0] = row.Key.OperatorId;
                values[1] = row.Key.RecordId;
                values[2] = row.Input.Imsi;
                values[3] = row.Input.Unixtime;
                values[4] = now;
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
    private static async Task<HashSet<string>> ImsisWithTrafficAsync(DbConnection connection, DbTransaction tx, List<string> imsis)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in imsis.Chunk(256))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = new StringBuilder("SELECT DISTINCT scope_id FROM usage_counters WHERE scope = @scope AND period = @period AND bucket_start = 0 AND scope_id IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"@s{i}");
                AddParameter(command, $"@s{i}", chunk[i]);
            }

            sql.Append(')');
            AddParameter(command, "@scope", (short)UsageScope.Subscriber);
            AddParameter(command, "@period", (short)UsagePeriod.AllTime);
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result.Add(reader.GetString(0));
            }
        }

        return result;
    }

    /// <summary>
    /// Adds to the counters. Rows go in key order so that two concurrent batches lock shared rows (a group,
    /// the operator) in the same order and cannot deadlock on PostgreSQL.
    /// </summary>
    private async Task UpsertCountersAsync(DbConnection connection, DbTransaction tx, Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters)
    {
        var rows = counters
            .OrderBy(c => c.Key.Scope).ThenBy(c => c.Key.ScopeId, StringComparer.Ordinal).ThenBy(c => c.Key.Period)
            .ThenBy(c => c.Key.BucketStart).ThenBy(c => c.Key.SpeedClass, StringComparer.Ordinal)
            .ToList();
        await BatchAsync(
            connection, tx, rows, 10,
            n => "INSERT INTO usage_counters (scope, scope_id, period, bucket_start, speed_class, operator_id, upload_bytes, download_bytes, upload_packets, download_packets) VALUES "
                + Values(n, 10)
                + " ON CONFLICT (scope, scope_id, period, bucket_start, speed_class) DO UPDATE SET "
                + "upload_bytes = usage_counters.upload_bytes + excluded.upload_bytes, "
                + "download_bytes = usage_counters.download_bytes + excluded.download_bytes, "
                + "upload_packets = usage_counters.upload_packets + excluded.upload_packets, "
                + "download_packets = usage_counters.download_packets + excluded.download_packets",
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
            },
            command => command.ExecuteNonQueryAsync());
    }

    private async Task InsertEventsAsync(
        DbConnection connection, DbTransaction tx, Dictionary<string, (TrafficTotals Traffic, long From, long To)> perImsi,
        Dictionary<string, Target> targets, HashSet<string> hadTraffic, long now)
    {
        var events = new List<(Target Target, string Type, string Payload)>();
        foreach (var (imsi, (traffic, from, to)) in perImsi.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var target = targets[imsi];
            var payload = JsonSerializer.Serialize(new UsageRecordedPayload(traffic.UploadBytes, traffic.DownloadBytes, traffic.UploadPackets, traffic.DownloadPackets, from, to), Json.Options);
            if (!hadTraffic.Contains(imsi))
            {
                events.Add((target, DomainEventTypes.FirstTraffic, payload));
            }

            events.Add((target, DomainEventTypes.UsageRecorded, payload));
        }

        await BatchAsync(
            connection, tx, events, 6,
            n => "INSERT INTO domain_events (operator_id, sim_id, imsi, type, new_value, occurred_time) VALUES " + Values(n, 6),
            (row, values) =>
            {
                values[0] = row.Target.OperatorId;
                values[1] = row.Target.SimId;
                values[2] = row.Target.Imsi;
                values[3] = row.Type;
                values[4] = row.Payload;
                values[5] = now;
            },
            command => command.ExecuteNonQueryAsync());
    }

    /// <summary><c>(@p0,@p1,…),(…)</c> for <paramref name="rows"/> rows of <paramref name="columns"/> parameters.</summary>
    private static string Values(int rows, int columns)
    {
        var sql = new StringBuilder(rows * columns * 6);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ",(");
            for (var c = 0; c < columns; c++)
            {
                sql.Append(c == 0 ? "@p" : ",@p").Append((r * columns) + c);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }

    /// <summary>
    /// Runs a multi-row statement over <paramref name="rows"/> in chunks, preparing the full-chunk statement
    /// once and rebinding its parameters. SQLite binds parameters by name with a linear search, so its chunks
    /// are small (cost grows with the square of the parameters per statement); PostgreSQL gets large chunks
    /// to save round trips.
    /// </summary>
    private async Task BatchAsync<T>(
        DbConnection connection, DbTransaction tx, IReadOnlyList<T> rows, int columns, Func<int, string> sql, Action<T, object[]> bind, Func<DbCommand, Task> execute)
    {
        var perStatement = db is PostgresSimlaneDb ? Math.Max(1, 8000 / columns) : Math.Max(1, 320 / columns);
        DbCommand? full = null;
        var values = new object[columns];
        try
        {
            for (var offset = 0; offset < rows.Count; offset += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - offset);
                DbCommand command;
                if (count == perStatement)
                {
                    command = full ??= Create(connection, tx, sql(count), count * columns);
                }
                else
                {
                    command = Create(connection, tx, sql(count), count * columns);
                }

                for (var r = 0; r < count; r++)
                {
                    bind(rows[offset + r], values);
                    for (var c = 0; c < columns; c++)
                    {
                        command.Parameters[(r * columns) + c].Value = values[c];
                    }
                }

                await execute(command);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Create(DbConnection connection, DbTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/> payload
/// (the event's NewValue, JSON camelCase): the traffic one batch added for the IMSI, over all speed classes,
/// and the earliest and latest record time (epoch seconds) in it.
/// </summary>
public sealed record UsageRecordedPayload(long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets, long FromUnixtime, long ToUnixtime);
