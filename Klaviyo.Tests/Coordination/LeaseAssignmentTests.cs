using Klaviyo.Core.Coordination;

namespace Klaviyo.Tests.Coordination;

/// <summary>Which instance syncs which account: even, the same on every instance, and stable as instances come and go.</summary>
public sealed class LeaseAssignmentTests
{
    private static readonly string[] Accounts = [.. Enumerable.Range(1, 200).Select(i => $"client-{i:D3}")];

    [Fact]
    public void Two_hundred_accounts_spread_evenly_over_three_instances()
    {
        var owners = LeaseAssignment.Assign(["instance-1", "instance-2", "instance-3"], Accounts);

        Assert.Equal(Accounts.Order(), owners.Keys.Order());
        var loads = owners.Values.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, loads.Count);
        Assert.All(loads.Values, load => Assert.InRange(load, 66, 67));
    }

    [Fact]
    public void Every_instance_computes_the_same_owners_whatever_order_it_read_them_in()
    {
        var one = LeaseAssignment.Assign(["b", "a", "c"], Accounts);
        var other = LeaseAssignment.Assign(["c", "b", "a"], [.. Accounts.Reverse()]);

        Assert.Equal(one.OrderBy(p => p.Key), other.OrderBy(p => p.Key));
    }

    [Fact]
    public void An_instance_that_joins_takes_its_share_and_few_others_move()
    {
        var before = LeaseAssignment.Assign(["instance-1", "instance-2", "instance-3"], Accounts);
        var after = LeaseAssignment.Assign(["instance-1", "instance-2", "instance-3", "instance-4"], Accounts);

        Assert.InRange(after.Values.Count(i => i == "instance-4"), 49, 50);
        var movedBetweenOldOnes = Accounts.Count(a => after[a] != before[a] && after[a] != "instance-4");
        Assert.True(movedBetweenOldOnes <= Accounts.Length / 4, $"{movedBetweenOldOnes} accounts moved between instances that stayed");
    }

    [Fact]
    public void A_dead_instances_accounts_go_to_the_survivors_and_theirs_mostly_stay()
    {
        var before = LeaseAssignment.Assign(["instance-1", "instance-2", "instance-3"], Accounts);
        var after = LeaseAssignment.Assign(["instance-1", "instance-3"], Accounts);

        Assert.All(after.Values, i => Assert.NotEqual("instance-2", i));
        Assert.All(after.Values.GroupBy(i => i), g => Assert.Equal(100, g.Count()));
        var kept = Accounts.Count(a => before[a] != "instance-2" && after[a] == before[a]);
        var survivorsHad = Accounts.Count(a => before[a] != "instance-2");
        Assert.True(kept >= survivorsHad * 3 / 4, $"{survivorsHad - kept} of the survivors' {survivorsHad} accounts moved");
    }

    [Fact]
    public void Without_accounts_or_instances_nobody_owns_anything()
    {
        Assert.Empty(LeaseAssignment.Assign(["instance-1"], []));
        Assert.Empty(LeaseAssignment.Assign([], Accounts));
    }
}
