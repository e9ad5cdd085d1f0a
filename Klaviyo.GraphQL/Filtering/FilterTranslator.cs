using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Filtering;

/// <summary>Turns a parsed <c>XFilterInput</c> value into a predicate EF Core translates to SQL.</summary>
public static class FilterTranslator
{
    private const int MaxNesting = 8;

    private static readonly MethodInfo LikeMethod = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    public static IQueryable<TRow> Where<TRow>(this IQueryable<TRow> source, QuerySpec<TRow> spec, IDictionary<string, object?>? where)
    {
        if (where is null || where.Count == 0)
            return source;
        var row = Expression.Parameter(typeof(TRow), "row");
        var body = Conjunction(spec, row, where, depth: 0);
        return source.Where(Expression.Lambda<Func<TRow, bool>>(body, row));
    }

    private static Expression Conjunction<TRow>(QuerySpec<TRow> spec, ParameterExpression row, IDictionary<string, object?> where, int depth)
    {
        if (depth > MaxNesting)
            throw new InvalidInputError($"Filters may nest 'and'/'or' at most {MaxNesting} levels deep.");
        Expression result = Expression.Constant(true);
        foreach (var (name, value) in where)
        {
            if (value is null)
                continue;
            var part = name switch
            {
                "and" => Combine(Nested(spec, row, value, depth), Expression.AndAlso, Expression.Constant(true)),
                "or" => Combine(Nested(spec, row, value, depth), Expression.OrElse, Expression.Constant(false)),
                _ => Field(spec.Find(name) ?? throw new InvalidInputError($"'{name}' is not a filterable field of {spec.TypeName}."), row, value),
            };
            result = result is ConstantExpression { Value: true } ? part : Expression.AndAlso(result, part);
        }
        return result;
    }

    private static IEnumerable<Expression> Nested<TRow>(QuerySpec<TRow> spec, ParameterExpression row, object value, int depth) =>
        ((IEnumerable)value).Cast<IDictionary<string, object?>>().Select(w => Conjunction(spec, row, w, depth + 1)).ToList();

    private static Expression Combine(IEnumerable<Expression> parts, Func<Expression, Expression, Expression> join, Expression empty) =>
        parts.DefaultIfEmpty(empty).Aggregate(join);

    private static Expression Field(FilterField field, ParameterExpression row, object value)
    {
        var member = new ParameterReplacer(field.Member.Parameters[0], row).Visit(field.Member.Body);
        Expression result = Expression.Constant(true);
        foreach (var (op, operand) in (IDictionary<string, object?>)value)
        {
            var condition = Operation(member, field.Kind, op, operand);
            result = result is ConstantExpression { Value: true } ? condition : Expression.AndAlso(result, condition);
        }
        return result;
    }

    private static Expression Operation(Expression member, FilterKind kind, string op, object? operand)
    {
        var type = NullableOf(member.Type);
        var lifted = member.Type == type ? member : Expression.Convert(member, type);
        switch (op)
        {
            case "eq": return Expression.Equal(lifted, Parameter(Coerce(operand, type), type));
            case "neq":
                return operand is null
                ? Expression.NotEqual(lifted, Parameter(null, type))
                : Expression.OrElse(Expression.Equal(lifted, Parameter(null, type)), Expression.NotEqual(lifted, Parameter(Coerce(operand, type), type)));
            case "in": return In(lifted, type, operand);
            case "nin": return Expression.Not(In(lifted, type, operand));
            case "gt": return Expression.GreaterThan(lifted, Required(operand, type, op));
            case "gte": return Expression.GreaterThanOrEqual(lifted, Required(operand, type, op));
            case "lt": return Expression.LessThan(lifted, Required(operand, type, op));
            case "lte": return Expression.LessThanOrEqual(lifted, Required(operand, type, op));
            case "contains": return Like(member, "%" + Escape(Text(operand, op)) + "%");
            case "ncontains": return Expression.Not(Like(member, "%" + Escape(Text(operand, op)) + "%"));
            case "startsWith": return Like(member, Escape(Text(operand, op)) + "%");
            case "endsWith": return Like(member, "%" + Escape(Text(operand, op)));
            default: throw new InvalidInputError($"Unknown filter operation '{op}' for a {kind} field.");
        }
    }

    private static Expression In(Expression member, Type type, object? operand)
    {
        if (operand is not IEnumerable values)
            throw new InvalidInputError("'in' and 'nin' take a list.");
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type))!;
        foreach (var value in values)
            list.Add(Coerce(value, type));
        var contains = typeof(Enumerable).GetMethods()
            .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
            .MakeGenericMethod(type);
        return Expression.Call(contains, Parameter(list, list.GetType()), member);
    }

    // Case-insensitive on every engine: SQLite's LIKE is (for ASCII), PostgreSQL's is not, so both sides are lowered.
    private static readonly MethodInfo ToLowerMethod = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    private static Expression Like(Expression member, string pattern) =>
        Expression.Call(LikeMethod, Expression.Constant(EF.Functions), Expression.Call(member, ToLowerMethod), Parameter(pattern.ToLowerInvariant(), typeof(string)), Expression.Constant("\\"));

    private static Expression Required(object? operand, Type type, string op) =>
        operand is null ? throw new InvalidInputError($"'{op}' needs a value, not null.") : Parameter(Coerce(operand, type), type);

    private static string Text(object? operand, string op) =>
        operand as string ?? throw new InvalidInputError($"'{op}' needs a string.");

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static object? Coerce(object? value, Type type)
    {
        if (value is null)
            return null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is DateTime dt)
            return dt.Kind switch
            {
                DateTimeKind.Utc => dt,
                DateTimeKind.Local => dt.ToUniversalTime(),
                _ => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
            };
        if (value is DateTimeOffset dto)
            return dto.UtcDateTime;
        return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private static Type NullableOf(Type type) =>
        type.IsValueType && Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;

    /// <summary>Wraps a value in a closure-like member access so EF Core sends it as a SQL parameter.</summary>
    private static Expression Parameter(object? value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(ValueHolder<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(holder), "Value");
    }

    private sealed class ValueHolder<T>(T value)
    {
        public T Value { get; } = value;
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
