using System.Linq.Expressions;

namespace Klaviyo.GraphQL.Filtering;

/// <summary>A field of a row type that clients may filter and sort on, with the expression that reads it.</summary>
public sealed record FilterField(string Name, FilterKind Kind, LambdaExpression Member, string? Description = null);
