using Klaviyo.Core.Alerts;
using Klaviyo.Core.Data;

namespace Klaviyo.Tests.Alerts;

/// <summary>The detector and the state machine, alone: what fires, what does not, and when.</summary>
public sealed class AlertRulesLogicTests
{
    /// <summary>13 weeks of a steady hourly count with a weekly shape (1 on weekend hours, 2 on weekdays × level).</summary>
    private static List<double> Weeks(double level, int weeks = 13)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, weeks * 168).Select(h => Math.Round(level * (h / 24 % 7 >= 5 ? 0.6 : 1) * (0.9 + 0.2 * random.NextDouble())))];
    }

    [Fact]
    public void A_sixty_percent_drop_fires_and_ordinary_noise_does_not()
    {
        var normal = Weeks(50);
        var clean = AnomalyDetector.Judge(normal, 168, 6, AlertDirection.Drop, 4, 30, 10)!;
        Assert.False(clean.Anomalous, $"score {clean.Score}");
        Assert.Equal(AnomalyDetector.MaximumWeeks, clean.Weeks);

        var dropped = normal.ToList();
        for (var h = dropped.Count - 6; h < dropped.Count; h++)
            dropped[h] *= 0.4;
        var judged = AnomalyDetector.Judge(dropped, 168, 6, AlertDirection.Drop, 4, 30, 10)!;
        Assert.True(judged.Anomalous, $"score {judged.Score}");
        Assert.InRange(judged.ChangePercent!.Value, -65, -55);
        // The same drop is not a spike.
        Assert.False(AnomalyDetector.Judge(dropped, 168, 6, AlertDirection.Spike, 4, 30, 10)!.Anomalous);
    }

    [Fact]
    public void Without_three_weeks_of_history_nothing_is_judged_and_tiny_volumes_never_fire()
    {
        Assert.Null(AnomalyDetector.Judge(Weeks(50, weeks: 3), 168, 6, AlertDirection.Both, 4, 30, 0));
        var tiny = Weeks(0.5);
        for (var h = tiny.Count - 6; h < tiny.Count; h++)
            tiny[h] = 0;
        Assert.False(AnomalyDetector.Judge(tiny, 168, 6, AlertDirection.Drop, 4, 30, 10)!.Anomalous);
    }

    [Fact]
    public void One_odd_week_in_the_baseline_moves_neither_the_median_nor_the_alert()
    {
        var series = Weeks(50);
        for (var h = 5 * 168; h < 6 * 168; h++)
            series[h] = 0; // an outage five weeks ago
        var judged = AnomalyDetector.Judge(series, 168, 6, AlertDirection.Drop, 4, 30, 10)!;
        Assert.False(judged.Anomalous);
        Assert.InRange(judged.Expected, 150, 400); // six hours of about 30–60 an hour, not the outage's zero
    }

    [Fact]
    public void A_welcome_flows_open_rate_falling_from_42_to_31_over_six_weeks_is_a_decay()
    {
        double[] weekly = [42, 42.5, 41.6, 42, 40, 38.1, 36, 34, 32.2, 31];
        var judged = AnomalyDetector.Decay(weekly, 6, 20, 1)!;
        Assert.True(judged.Anomalous, $"change {judged.ChangePercent}");
        Assert.False(AnomalyDetector.Decay([42, 41, 42.4, 41.8, 42.2, 41.5, 42, 41.7], 6, 20, 1)!.Anomalous);
    }

    private static readonly AlertDefinition Pending5Keep10 = new() { PendingFor = TimeSpan.FromMinutes(5), KeepFiringFor = TimeSpan.FromMinutes(10) };

    private static Observation Holds(bool? condition) => new("", "", condition, 1, 2, "m");

    [Fact]
    public void Pending_then_firing_then_kept_firing_then_resolved_then_normal()
    {
        var t0 = new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc);
        var instance = new AlertInstance { Key = "", State = nameof(AlertState.Normal) };
        AlertState? Step(bool? condition, int minute) => AlertStateMachine.Apply(instance, Holds(condition), Pending5Keep10, t0.AddMinutes(minute));

        Assert.Equal(AlertState.Normal, Step(true, 0));
        Assert.Equal(nameof(AlertState.Pending), instance.State);
        Assert.Null(Step(true, 4));
        Assert.Equal(AlertState.Pending, Step(true, 5));
        Assert.Equal(nameof(AlertState.Firing), instance.State);
        Assert.Null(Step(false, 6));   // cleared, kept firing
        Assert.Null(Step(true, 7));    // back: still firing, the clear forgotten
        Assert.Null(Step(false, 8));
        Assert.Null(Step(false, 17));
        Assert.Equal(AlertState.Firing, Step(false, 18));
        Assert.Equal(nameof(AlertState.Resolved), instance.State);
        Assert.Equal(AlertState.Resolved, Step(false, 19));
        Assert.Equal(nameof(AlertState.Normal), instance.State);
        Assert.Equal(AlertState.Normal, Step(null, 20));
        Assert.Equal(nameof(AlertState.NoData), instance.State);
        Assert.Equal(AlertState.NoData, AlertStateMachine.Apply(instance, null, Pending5Keep10, t0.AddMinutes(21)));
        Assert.Equal(nameof(AlertState.Error), instance.State);
    }

    [Fact]
    public void A_pending_alert_whose_condition_clears_goes_back_to_normal_without_firing()
    {
        var t0 = DateTime.UtcNow;
        var instance = new AlertInstance { Key = "", State = nameof(AlertState.Normal) };
        AlertStateMachine.Apply(instance, Holds(true), Pending5Keep10, t0);
        Assert.Equal(AlertState.Pending, AlertStateMachine.Apply(instance, Holds(false), Pending5Keep10, t0.AddMinutes(3)));
        Assert.Equal(nameof(AlertState.Normal), instance.State);
        Assert.Null(instance.ConditionSince);
    }
}
