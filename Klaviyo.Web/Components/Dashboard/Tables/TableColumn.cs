namespace Klaviyo.Web.Components.Dashboard.Tables;

/// <summary>One column of a <see cref="ConnectionTable{TRow}"/>: its header, the server-side sort field (if sortable) and its cell text.</summary>
public sealed record TableColumn<TRow>(string Header, Func<TRow, string> Cell, string? SortField = null, bool Numeric = false);
