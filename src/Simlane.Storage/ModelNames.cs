using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Simlane.Storage;

/// <summary>
/// Table and column names for hand-written SQL, read from the EF model rather than typed as literals, so a
/// renamed or unmapped property fails when the SQL is first built (at start-up or in a test), never silently
/// at run time. Callers name properties with <c>nameof</c>, so a renamed property also renames its use.
/// </summary>
public static class ModelNames
{
    /// <summary>The table <typeparamref name="T"/> is mapped to.</summary>
    public static string Table<T>(IModel model) => Entity<T>(model).GetTableName()
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");

    /// <summary>The column property <paramref name="property"/> of <typeparamref name="T"/> is mapped to in its table.</summary>
    public static string Column<T>(IModel model, string property)
    {
        var entity = Entity<T>(model);
        var mapped = entity.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} is not a mapped property.");
        return mapped.GetColumnName(StoreObjectIdentifier.Table(Table<T>(model), entity.GetSchema()))
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} has no column in {Table<T>(model)}.");
    }

    private static IEntityType Entity<T>(IModel model) => model.FindEntityType(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
}

/// <summary>Every hand-written statement of Storage, built against one model.</summary>
public static class HandWrittenSql
{
    /// <summary>
    /// Builds every hand-written statement against <paramref name="model"/> (each is built once per model and
    /// cached), so a table or column they name that the model no longer maps fails here: at start-up
    /// (<see cref="Migrator"/>) and in the Storage tests, not on the first request that runs it.
    /// </summary>
    public static void Verify(IModel model)
    {
        UsageStore.Verify(model);
        BillingStore.Verify(model);
        SimSearch.Verify(model);
        EngineCursorSql.Verify(model);
        OutboxWriter.Verify(model);
        SessionAdmissionReads.Verify(model);
        UsageRecordRetention.Verify(model);
    }
}
