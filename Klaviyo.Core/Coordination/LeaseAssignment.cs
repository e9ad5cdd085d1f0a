using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// Which live instance syncs which connected account. Every instance computes the same answer from
/// the same instances and accounts: each account goes to its favourite (highest rendezvous hash of
/// instance and account) among the instances that still have room — at most ⌈accounts ÷ instances⌉
/// each — so the load is even, and an instance joining or leaving moves few accounts.
/// </summary>
public static class LeaseAssignment
{
    public static IReadOnlyDictionary<string, string> Assign(IReadOnlyCollection<string> instances, IReadOnlyCollection<string> accounts)
    {
        if (instances.Count == 0)
            return new Dictionary<string, string>();
        string[] ordered = [.. instances.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var capacity = (accounts.Count + ordered.Length - 1) / ordered.Length;
        var load = ordered.ToDictionary(i => i, _ => 0, StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var account in accounts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var owner = ordered.Where(i => load[i] < capacity).MaxBy(i => Score(i, account))!;
            owners[account] = owner;
            load[owner]++;
        }
        return owners;
    }

    private static ulong Score(string instance, string account) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{instance}\n{account}")));
}
