using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Klaviyo.Core.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Core.Data;

/// <summary>
/// A client span per database command, child of whatever asked (a GraphQL field, a sync page). Only
/// created while a tracer listens. The statement is EF's parameterised SQL: values never leave the process.
/// </summary>
public sealed class CommandTracing(DatabaseProvider provider) : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, Activity> _running = new();
    private readonly string _system = provider switch
    {
        DatabaseProvider.SqlServer => "microsoft.sql_server",
        DatabaseProvider.PostgreSql => "postgresql",
        _ => "sqlite",
    };

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command, eventData);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command, eventData);
        return base.NonQueryExecuting(command, eventData, result);
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Stop(eventData.CommandId, null);
        return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Stop(eventData.CommandId, null);
        return base.ScalarExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Stop(eventData.CommandId, null);
        return base.NonQueryExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Stop(eventData.CommandId, null);
        return base.ReaderExecuted(command, eventData, result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(eventData.CommandId, null);
        return base.NonQueryExecuted(command, eventData, result);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData.CommandId, eventData.Exception.GetType().FullName);
        return base.CommandFailedAsync(command, eventData, cancellationToken);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        Stop(eventData.CommandId, eventData.Exception.GetType().FullName);
        base.CommandFailed(command, eventData);
    }

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData.CommandId, "canceled");
        return base.CommandCanceledAsync(command, eventData, cancellationToken);
    }

    private void Start(DbCommand command, CommandEventData eventData)
    {
        var text = command.CommandText;
        var verb = text.AsSpan().TrimStart();
        var space = verb.IndexOfAny(' ', '\n');
        var operation = (space > 0 ? verb[..space] : verb).ToString().ToUpperInvariant();
        var activity = KlaviyoTracing.Source.StartActivity($"{operation} {_system}", ActivityKind.Client);
        if (activity is null)
            return;
        activity.SetTag("db.system.name", _system);
        activity.SetTag("db.operation.name", operation);
        activity.SetTag("db.query.text", text.Length > 2000 ? text[..2000] : text);
        _running[eventData.CommandId] = activity;
    }

    private void Stop(Guid command, string? error)
    {
        if (!_running.TryRemove(command, out var activity))
            return;
        if (error is not null)
            activity.Failed(error);
        activity.Stop();
    }
}
