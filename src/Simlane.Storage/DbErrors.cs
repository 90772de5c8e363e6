using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Simlane.Storage;

/// <summary>Recognises constraint failures the same way on both providers.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintTrigger = 1811;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>True when a save failed on a foreign key (a row refers to one that is gone, or is still referred to).</summary>
    public static bool IsForeignKeyViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation,

        // SQLite reports an ON DELETE RESTRICT refusal through its trigger mechanism (1811), a dangling reference as 787.
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && (sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey
                || (sqlite.SqliteExtendedErrorCode == SqliteConstraintTrigger && sqlite.Message.Contains("FOREIGN KEY", StringComparison.Ordinal))),
        _ => false,
    };

    /// <summary>
    /// True when a save failed on a primary key or unique index: a concurrent writer inserted the same
    /// row first (two requests adding the same new tag). Retrying on fresh state turns it into an update.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique,
        _ => false,
    };

    /// <summary>A lost race that the same request may retry on fresh state.</summary>
    public static bool IsRetryable(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException || IsUniqueViolation(exception);
}
