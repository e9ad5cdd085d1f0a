using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Exports;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Exports;

/// <summary>
/// <c>GET /export/{overview|campaigns|flows|forms|segments|lists}.csv</c>: the same data as the
/// queries, by running them — so the same range, filter (<c>where</c>, JSON), order (<c>order</c>,
/// JSON), freshness and role rules apply — and streaming every row, page after page. <c>?account=</c>
/// names a connected account (the deployment's own without).
/// </summary>
public static class ExportEndpoints
{
    private static readonly string[] Tables = ["campaigns", "flows", "forms", "segments", "lists"];
    private const int PageSize = 100;

    public static WebApplication MapKlaviyoExports(this WebApplication app)
    {
        app.MapGet("/export/{name}.csv", async (string name, HttpContext http, IDocumentExecuter<ISchema> executer, ISchema schema) =>
        {
            try
            {
                if (name == "overview")
                    await OverviewCsv.WriteAsync(http, executer);
                else if (Tables.Contains(name))
                    await TableAsync(name, http, executer, schema);
                else
                    await Results.NotFound(new { error = $"No export named '{name}': use overview, {string.Join(", ", Tables)}." }).ExecuteAsync(http);
            }
            catch (ExportException e)
            {
                await Results.Json(new { errors = new[] { new { message = e.Message, extensions = new { code = e.Code } } } }, statusCode: e.Status).ExecuteAsync(http);
            }
        }).RequireAuthorization(Roles.Viewer).RequireRateLimiting(SecurityServiceCollectionExtensions.ApiRateLimit);
        return app;
    }

    private static async Task TableAsync(string field, HttpContext http, IDocumentExecuter<ISchema> executer, ISchema schema)
    {
        var (query, columns, scoped) = TableQuery(schema, field);
        var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        var where = Json(serializer, http.Request.Query["where"], "where");
        var order = Json(serializer, http.Request.Query["order"], "order");
        var variables = new Dictionary<string, object?> { ["where"] = where, ["order"] = order }.WithAccount(http.Request.Query);
        if (scoped)
            variables.WithScope(http.Request.Query);

        CsvExport? csv = null;
        try
        {
            string? after = null;
            do
            {
                variables["after"] = after;
                var page = (await ExportQuery.RunAsync(http, executer, query, new Inputs(variables))).GetProperty(field);
                csv ??= Header(new CsvExport(http.Response, $"{field}.csv"), field, http.Request.Query, page, columns, scoped);
                foreach (var row in page.GetProperty("nodes").EnumerateArray())
                    csv.Row([.. columns.Select(c => (object?)row.GetProperty(c))]);
                await csv.FlushAsync();
                var info = page.GetProperty("pageInfo");
                after = info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
            }
            while (after is not null);
        }
        finally
        {
            if (csv is not null)
                await csv.DisposeAsync();
        }
    }

    /// <summary>The connection's query for every scalar column of its nodes, paged; with the report scope when the table has statistics.</summary>
    private static (string Query, List<string> Columns, bool Scoped) TableQuery(ISchema schema, string field)
    {
        schema.Initialize();
        var connection = schema.Query!.GetField(field)!;
        var whereType = connection.Arguments!.Find("where")!.ResolvedType!.ToString();
        var orderType = connection.Arguments!.Find("order")!.ResolvedType!.ToString();
        var node = ((IObjectGraphType)((IObjectGraphType)connection.ResolvedType!.GetNamedType()).GetField("nodes")!.ResolvedType!.GetNamedType());
        var columns = node.Fields.Where(f => f.ResolvedType!.GetNamedType() is ScalarGraphType or EnumerationGraphType).Select(f => f.Name).ToList();
        // Tables with report statistics read them for a conversion metric and channel, like the query.
        var scoped = connection.Arguments!.Find("conversionMetricId") is not null;
        var query = scoped
            ? $$"""
            query Export($after: String, $where: {{whereType}}, $order: {{orderType}}, $conversionMetricId: ID, $channel: Channel, $accountId: ID) {
              {{field}}(accountId: $accountId, first: {{PageSize}}, after: $after, where: $where, order: $order, conversionMetricId: $conversionMetricId, channel: $channel) {
                nodes { {{string.Join(" ", columns)}} }
                pageInfo { hasNextPage endCursor }
                totalCount lastUpdated dataSource
                conversionMetric { id name integrationName } channel statisticsNote
              }
            }
            """
            : $$"""
            query Export($after: String, $where: {{whereType}}, $order: {{orderType}}, $accountId: ID) {
              {{field}}(accountId: $accountId, first: {{PageSize}}, after: $after, where: $where, order: $order) {
                nodes { {{string.Join(" ", columns)}} }
                pageInfo { hasNextPage endCursor }
                totalCount lastUpdated dataSource
              }
            }
            """;
        return (query, columns, scoped);
    }

    /// <summary>What was exported, filtered and ordered how, as of when: the rows above the table.</summary>
    private static CsvExport Header(CsvExport csv, string field, IQueryCollection query, JsonElement page, List<string> columns, bool scoped)
    {
        csv.Row("Export", field);
        if (query["account"].ToString() is { Length: > 0 } account)
            csv.Row("Account", account);
        csv.Row("Filter", query["where"].ToString());
        csv.Row("Order", query["order"].ToString());
        if (scoped)
            csv.ScopeRows(page);
        csv.Row("Rows", page.GetProperty("totalCount"));
        csv.Row("Last updated", page.GetProperty("lastUpdated"));
        csv.Row("Data source", page.GetProperty("dataSource"));
        csv.Row();
        csv.Row([.. columns]);
        return csv;
    }

    private static object? Json(IGraphQLTextSerializer serializer, Microsoft.Extensions.Primitives.StringValues value, string name)
    {
        if (value.Count == 0 || string.IsNullOrWhiteSpace(value))
            return null;
        try
        {
            return serializer.Deserialize<Inputs>($$"""{"v":{{value}}}""")!["v"];
        }
        catch (JsonException e)
        {
            throw new ExportException($"'{name}' must be JSON in the shape of the query's {name} argument: {e.Message}", StatusCodes.Status400BadRequest, ErrorCodes.InvalidInput);
        }
    }
}
