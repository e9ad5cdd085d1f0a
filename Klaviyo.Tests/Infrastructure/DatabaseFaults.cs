using System.Collections.Concurrent;
using System.Data.Common;
using Klaviyo.Testing.Faults;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>The fault suite's database switch, also recording the SQL the app sends.</summary>
public sealed class DatabaseFaults : DatabaseOutage
{
    public ConcurrentQueue<string> Commands { get; } = new();

    public int CountCommands(string fragment) => Commands.Count(c => c.Contains(fragment, StringComparison.Ordinal));

    protected override void Executing(DbCommand command) => Commands.Enqueue(command.CommandText);
}
