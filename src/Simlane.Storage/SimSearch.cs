using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Simlane.Core.Sims;

namespace Simlane.Storage;

/// <summary>
/// Search conditions EF cannot translate, as composable queries. Table and column names come from the EF
/// model (<see cref="ModelNames"/>), built once per model.
/// </summary>
public static class SimSearch
{
    private static readonly ConditionalWeakTable<IModel, string> BundleSql = [];

    /// <summary>
    /// The SIM IDs of subscriptions whose bundles (stored as one JSON array text per subscription, a
    /// value-converted column EF cannot search) contain <paramref name="likePattern"/>, matched against the
    /// lower-cased text with <c>\</c> as the LIKE escape. The pattern is a parameter.
    /// </summary>
    public static IQueryable<string> SimIdsWithBundleLike(this SimlaneDb db, string likePattern) =>
        db.Subscriptions.FromSqlRaw(BundleSql.GetValue(db.Model, Build), likePattern).Select(x => x.SimId);

    /// <summary>Builds (and so checks) every statement against <paramref name="model"/>; throws if a name is not mapped.</summary>
    public static void Verify(IModel model) => _ = BundleSql.GetValue(model, Build);

    private static string Build(IModel model) =>
        $"SELECT * FROM {ModelNames.Table<Subscription>(model)} WHERE lower({ModelNames.Column<Subscription>(model, nameof(Subscription.Bundles))}) LIKE {{0}} ESCAPE '\\'";
}
