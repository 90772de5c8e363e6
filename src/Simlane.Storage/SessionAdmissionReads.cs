using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Simlane.Core.Sims;

namespace Simlane.Storage;

/// <summary>
/// The one read behind a RADIUS Access-Request: the <see cref="SessionAdmissionFacts"/> of the registered SIM (any
/// operator's) holding an IMSI, in one indexed statement. Parsing and planning the statement cost more than running it
/// (on SQLite, several times more than the EF query's execution), so each connection this reader opens keeps its
/// statement prepared, and up to <see cref="MaxIdle"/> such connections are kept for the next requests.
/// <para>Every read is a fresh autocommit statement, so it sees the latest commit: a SIM terminated a moment ago is
/// refused by the next request. Owned by the server (one per database); disposing it closes its connections.</para>
/// </summary>
public sealed class SessionAdmissionReads : IAsyncDisposable
{
    /// <summary>Idle prepared connections kept; more may be open while requests run, and are closed when returned.</summary>
    public const int MaxIdle = 8;

    private readonly DatabaseOptions database;
    private readonly string sql;
    private readonly ConcurrentBag<Prepared> idle = [];
    private int idleCount;
    private bool disposed;

    public SessionAdmissionReads(DatabaseOptions database, IModel model)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
        sql = Build(model);
    }

    /// <summary>Builds (and so checks) the statement against <paramref name="model"/>; throws if a name is not mapped.</summary>
    public static void Verify(IModel model) => _ = Build(model);

    /// <summary>The facts for <paramref name="imsi"/>, or null when no registered SIM holds it.</summary>
    public async Task<SessionAdmissionFacts?> ReadAsync(string imsi, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imsi);
        ObjectDisposedException.ThrowIf(disposed, this);
        var prepared = Take() ?? await PrepareAsync(cancellationToken);
        try
        {
            prepared.Imsi.Value = imsi;
            SessionAdmissionFacts? facts = null;
            await using (var reader = await prepared.Command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    facts = new SessionAdmissionFacts(
                        SimStatusNames.Parse(reader.GetString(0), "status"),
                        reader.IsDBNull(1) ? null : reader.GetInt64(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.GetString(3),
                        reader.GetBoolean(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5));
                }
            }

            Return(prepared);
            return facts;
        }
        catch
        {
            await prepared.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryTake(out var prepared))
        {
            await prepared.DisposeAsync();
        }
    }

    private Prepared? Take()
    {
        if (idle.TryTake(out var prepared))
        {
            Interlocked.Decrement(ref idleCount);
            return prepared;
        }

        return null;
    }

    private void Return(Prepared prepared)
    {
        if (!disposed && Interlocked.Increment(ref idleCount) <= MaxIdle)
        {
            idle.Add(prepared);
            return;
        }

        Interlocked.Decrement(ref idleCount);
        prepared.Dispose();
    }

    private async Task<Prepared> PrepareAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(database.ConnectionString)
            : new NpgsqlConnection(database.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var command = connection.CreateCommand();
            command.CommandText = sql;
            var imsi = command.CreateParameter();
            imsi.ParameterName = "@imsi";
            imsi.DbType = System.Data.DbType.String;
            imsi.Value = "";
            command.Parameters.Add(imsi);
            await command.PrepareAsync(cancellationToken);
            return new Prepared(connection, command, imsi);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string Build(IModel model)
    {
        string Sim(string property) => "s." + ModelNames.Column<Sim>(model, property);
        string Sub(string property) => "x." + ModelNames.Column<Subscription>(model, property);
        return $"SELECT {Sim(nameof(Core.Sims.Sim.Status))}, {Sim(nameof(Core.Sims.Sim.ExpiryTime))}, {Sim(nameof(Core.Sims.Sim.ImeiLock))}, "
            + $"{Sim(nameof(Core.Sims.Sim.SpeedClass))}, {Sub(nameof(Subscription.IsPrimary))}, {Sub(nameof(Subscription.SecondaryStatus))} "
            + $"FROM {ModelNames.Table<Subscription>(model)} x JOIN {ModelNames.Table<Sim>(model)} s ON s.{ModelNames.Column<Sim>(model, nameof(Core.Sims.Sim.SimId))} = {Sub(nameof(Subscription.SimId))} "
            + $"WHERE {Sub(nameof(Subscription.Imsi))} = @imsi AND {Sim(nameof(Core.Sims.Sim.OperatorId))} IS NOT NULL";
    }

    private sealed record Prepared(DbConnection Connection, DbCommand Command, DbParameter Imsi) : IAsyncDisposable, IDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Command.DisposeAsync();
            await Connection.DisposeAsync();
        }

        public void Dispose()
        {
            Command.Dispose();
            Connection.Dispose();
        }
    }
}
