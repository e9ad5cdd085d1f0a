using System.Linq.Expressions;

namespace Klaviyo.GraphQL.Filtering;

/// <summary>
/// What clients may filter and sort a row type by. One spec yields the <c>XFilterInput</c> and
/// <c>XSortInput</c> types and translates their values into SQL (values always as parameters).
/// </summary>
public sealed class QuerySpec<TRow>(string typeName, Expression<Func<TRow, string>> key)
{
    private readonly List<FilterField> _fields = [];

    /// <summary>The node type's name: "Campaign" gives CampaignFilterInput and CampaignSortInput.</summary>
    public string TypeName { get; } = typeName;
    /// <summary>A unique key, the last sort key, so that pages never overlap or skip rows.</summary>
    public Expression<Func<TRow, string>> Key { get; } = key;
    public IReadOnlyList<FilterField> Fields => _fields;

    public QuerySpec<TRow> String(string name, Expression<Func<TRow, string?>> member, string? description = null) => Add(name, FilterKind.String, member, description);
    public QuerySpec<TRow> Int(string name, Expression<Func<TRow, int>> member, string? description = null) => Add(name, FilterKind.Int, member, description);
    public QuerySpec<TRow> Float(string name, Expression<Func<TRow, double?>> member, string? description = null) => Add(name, FilterKind.Float, member, description);
    public QuerySpec<TRow> DateTime(string name, Expression<Func<TRow, System.DateTime?>> member, string? description = null) => Add(name, FilterKind.DateTime, member, description);
    public QuerySpec<TRow> Boolean(string name, Expression<Func<TRow, bool>> member, string? description = null) => Add(name, FilterKind.Boolean, member, description);

    public FilterField? Find(string name) => _fields.Find(f => f.Name == name);

    private QuerySpec<TRow> Add(string name, FilterKind kind, LambdaExpression member, string? description)
    {
        if (Find(name) is not null)
            throw new ArgumentException($"Field '{name}' is declared twice on {TypeName}.", nameof(name));
        _fields.Add(new FilterField(name, kind, member, description));
        return this;
    }
}
