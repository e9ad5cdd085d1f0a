using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Exports;

/// <summary>A failure an export reports before its first row, with the status and code the API would give.</summary>
public sealed class ExportException(string message, int status, string code) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

/// <summary>Runs one query for an export as the caller (their role applies) and hands back its data.</summary>
public static class ExportQuery
{
    /// <summary>Adds <c>conversionMetricId</c> and <c>channel</c> from the export's query string, when given.</summary>
    public static Dictionary<string, object?> WithScope(this Dictionary<string, object?> variables, IQueryCollection query)
    {
        if (query["conversionMetricId"] is { Count: > 0 } metric && !string.IsNullOrWhiteSpace(metric))
            variables["conversionMetricId"] = metric.ToString();
        if (query["channel"] is { Count: > 0 } channel && !string.IsNullOrWhiteSpace(channel))
            variables["channel"] = channel.ToString().ToUpperInvariant();
        return variables;
    }

    /// <summary>Adds <c>accountId</c> from the export's <c>account</c> (a connected account's id; NOT_FOUND, 404, when there is none).</summary>
    public static Dictionary<string, object?> WithAccount(this Dictionary<string, object?> variables, IQueryCollection query)
    {
        if (query["account"] is { Count: > 0 } account && !string.IsNullOrWhiteSpace(account))
            variables["accountId"] = account.ToString();
        return variables;
    }

    public static Task<JsonElement> RunAsync(HttpContext http, IDocumentExecuter<ISchema> executer, string query, Inputs variables) =>
        RunAsync(http.RequestServices, executer, http.User, query, variables, http.RequestAborted);

    /// <summary>The same for the server itself (a digest reads what its principal's role may read).</summary>
    public static async Task<JsonElement> RunAsync(IServiceProvider services, IDocumentExecuter<ISchema> executer, System.Security.Claims.ClaimsPrincipal user,
        string query, Inputs variables, CancellationToken cancellationToken)
    {
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            Variables = variables,
            RequestServices = services,
            User = user,
            CancellationToken = cancellationToken,
        });
        if (result.Errors is { Count: > 0 } errors)
        {
            var first = errors[0];
            if (first is global::GraphQL.Execution.UnhandledError)
                throw new ExportException("The export failed unexpectedly; it has been logged.", StatusCodes.Status500InternalServerError, ErrorCodes.InternalError);
            var status = first.Code switch
            {
                ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
                ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
                ErrorCodes.NotFound => StatusCodes.Status404NotFound,
                ErrorCodes.DatabaseUnavailable or ErrorCodes.DataUnavailable => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            // The message only: exception details never leave the server (the error provider already hid them).
            throw new ExportException(first.Message, status, first.Code ?? ErrorCodes.InvalidInput);
        }
        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        return JsonDocument.Parse(serializer.Serialize(result)).RootElement.GetProperty("data").Clone();
    }
}
