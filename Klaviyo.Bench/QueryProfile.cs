using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Bench;

/// <summary>
/// Where an uncached request's database time goes: every command's duration, summed per statement
/// (its text), while recording. Printed after the one-connection run as the profile behind the figure.
/// </summary>
public sealed class QueryProfile : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, (long Count, double Ms)> _statements = new();

    public bool Recording { get; set; }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Record(command, eventData, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(command, eventData, result));

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(command, eventData, result));

    private T Record<T>(DbCommand command, CommandExecutedEventData eventData, T result)
    {
        // The reader's rows are read after this, so the duration is the statement's execution to its first row.
        if (Recording)
            _statements.AddOrUpdate(command.CommandText, (1, eventData.Duration.TotalMilliseconds), (_, s) => (s.Count + 1, s.Ms + eventData.Duration.TotalMilliseconds));
        return result;
    }

    /// <summary>Statements and database time recorded so far.</summary>
    public (long Statements, double Ms) Totals => (_statements.Values.Sum(s => s.Count), _statements.Values.Sum(s => s.Ms));

    public void Reset() => _statements.Clear();

    /// <summary>The statements by total time, per request of <paramref name="requests"/>.</summary>
    public void Print(long requests, int top = 12)
    {
        var total = _statements.Values.Sum(s => s.Ms);
        Console.WriteLine($"profile: {_statements.Values.Sum(s => s.Count) / (double)Math.Max(1, requests):F1} statements and {total / Math.Max(1, requests):F2} ms of database time per request; the costliest:");
        foreach (var (text, (count, ms)) in _statements.OrderByDescending(s => s.Value.Ms).Take(top))
        {
            var line = string.Join(' ', text.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            Console.WriteLine($"  {ms / Math.Max(1, requests),7:F2} ms  x{count / (double)Math.Max(1, requests),4:F1}  {(line.Length > 150 ? line[..150] + "…" : line)}");
        }
    }
}
