using System.Collections;
using System.Linq.Expressions;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Filtering;

/// <summary>
/// Applies a parsed <c>[XSortInput!]</c> value, then the spec's unique key so that paging is stable.
/// Nulls sort as the smallest value on every engine (first ascending, last descending): SQLite and
/// SQL Server do so by themselves, PostgreSQL the other way round, so a nullable key is preceded by
/// whether it is null.
/// </summary>
public static class SortTranslator
{
    public static IOrderedQueryable<TRow> OrderBy<TRow>(this IQueryable<TRow> source, QuerySpec<TRow> spec, IEnumerable? order, (string Field, SortDirection Direction) fallback)
    {
        var keys = new List<(FilterField Field, SortDirection Direction)>();
        foreach (var entry in order?.Cast<IDictionary<string, object?>>() ?? [])
        {
            foreach (var (name, direction) in entry)
            {
                if (direction is null)
                    continue;
                var field = spec.Find(name) ?? throw new InvalidInputError($"'{name}' is not a sortable field of {spec.TypeName}.");
                keys.Add((field, (SortDirection)direction));
            }
        }
        if (keys.Count == 0)
            keys.Add((spec.Find(fallback.Field)!, fallback.Direction));

        var ordered = Apply(source.Expression, keys[0].Field.Member, keys[0].Direction, first: true);
        foreach (var (field, direction) in keys.Skip(1))
            ordered = Apply(ordered, field.Member, direction, first: false);
        ordered = Apply(ordered, spec.Key, SortDirection.Asc, first: false);
        return (IOrderedQueryable<TRow>)source.Provider.CreateQuery<TRow>(ordered);
    }

    private static Expression Apply(Expression source, LambdaExpression key, SortDirection direction, bool first)
    {
        if (!key.ReturnType.IsValueType || Nullable.GetUnderlyingType(key.ReturnType) is not null)
        {
            var isSet = Expression.Lambda(
                Expression.Condition(Expression.Equal(key.Body, Expression.Constant(null, key.ReturnType)), Expression.Constant(0), Expression.Constant(1)),
                key.Parameters);
            source = Apply(source, isSet, direction, first);
            first = false;
        }

        var method = (first, direction) switch
        {
            (true, SortDirection.Asc) => nameof(Queryable.OrderBy),
            (true, SortDirection.Desc) => nameof(Queryable.OrderByDescending),
            (false, SortDirection.Asc) => nameof(Queryable.ThenBy),
            _ => nameof(Queryable.ThenByDescending),
        };
        return Expression.Call(typeof(Queryable), method, [key.Parameters[0].Type, key.ReturnType], source, Expression.Quote(key));
    }
}
