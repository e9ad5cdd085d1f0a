namespace Klaviyo.GraphQL.Filtering;

/// <summary>The scalar kinds a filterable field can have; each maps to one operation input type.</summary>
public enum FilterKind
{
    String,
    Int,
    Float,
    DateTime,
    Boolean,
}
