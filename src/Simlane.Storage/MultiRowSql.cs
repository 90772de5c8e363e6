using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Simlane.Storage;

/// <summary>
/// Helpers for Storage's hand-written multi-row statements (<see cref="UsageStore"/>, <see cref="OutboxWriter"/>):
/// the context's connection and transaction, parameter lists, and chunked execution of one prepared statement.
/// </summary>
internal static class MultiRowSql
{
    public static async Task<(DbConnection Connection, DbTransaction? Transaction)> ConnectionAsync(SimlaneDb db)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync();
        }

        return (connection, db.Database.CurrentTransaction?.GetDbTransaction());
    }

    /// <summary><c>(@p0,@p1,…),(…)</c> for <paramref name="rows"/> rows of <paramref name="columns"/> parameters.</summary>
    public static string Values(int rows, int columns)
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
    /// once and rebinding its parameters. PostgreSQL gets large chunks to save round trips. SQLite gets one row per
    /// statement: it is in-process (no round trip), and it binds parameters by name with a linear search, so a statement's
    /// cost grows with the square of its parameters; measured on the usage checkpoint (2.1 million counter upserts),
    /// one-row statements took 14.1 s where 32-row ones took 25.4 s (docs/performance.md).
    /// </summary>
    public static async Task BatchAsync<T>(SimlaneDb db, IReadOnlyList<T> rows, int columns, Func<int, string> sql, Action<T, object[]> bind, Func<DbCommand, Task> execute)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (connection, tx) = await ConnectionAsync(db);
        var perStatement = db is PostgresSimlaneDb ? Math.Max(1, 8000 / columns) : 1;
        DbCommand? full = null;
        var values = new object[columns];
        try
        {
            for (var offset = 0; offset < rows.Count; offset += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - offset);
                var command = count == perStatement
                    ? full ??= Create(connection, tx, sql(count), count * columns)
                    : Create(connection, tx, sql(count), count * columns);
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

    private static DbCommand Create(DbConnection connection, DbTransaction? tx, string sql, int parameters)
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

    /// <summary>
    /// Appends <c>IN (…)</c> over <paramref name="values"/> as one parameter <paramref name="name"/>, whatever their number: a JSON array
    /// read with <c>json_each</c> on SQLite, a text array with <c>= ANY</c> on PostgreSQL. One statement and one bind instead of
    /// a chunk of statements with a parameter per value (SQLite looks parameters up by name, one by one).
    /// </summary>
    public static void AppendInList(SimlaneDb db, DbCommand command, StringBuilder sql, string name, IReadOnlyCollection<string> values)
    {
        if (db is PostgresSimlaneDb)
        {
            sql.Append(" = ANY(").Append(name).Append(')');
            AddParameter(command, name, values.ToArray());
        }
        else
        {
            sql.Append(" IN (SELECT value FROM json_each(").Append(name).Append("))");
            AddParameter(command, name, System.Text.Json.JsonSerializer.Serialize(values));
        }
    }

    /// <summary>A command on the context's connection, in its current transaction, with <paramref name="sql"/> and named parameters.</summary>
    public static async Task<DbCommand> CommandAsync(SimlaneDb db, string sql, params (string Name, object Value)[] parameters)
    {
        var (connection, tx) = await ConnectionAsync(db);
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

}
