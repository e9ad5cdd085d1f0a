using Klaviyo.Core.Data;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// NORMAL → PENDING (the condition holds, for less than the pending period) → FIRING → RESOLVED (the
/// condition has been clear for the keep-firing period) → NORMAL; NO_DATA when the number is unknown,
/// ERROR when it could not be read. Pure: the instance's memory (condition since, cleared since) is
/// all it needs.
/// </summary>
public static class AlertStateMachine
{
    /// <summary>Applies one observation (null: the evaluation failed); returns the state before, or null when the state did not change.</summary>
    public static AlertState? Apply(AlertInstance instance, Observation? observation, AlertDefinition definition, DateTime now)
    {
        var before = Enum.Parse<AlertState>(instance.State);
        var after = Next(instance, observation, definition, now, before);
        instance.EvaluatedAt = now;
        if (after == before)
            return null;
        instance.State = after.ToString();
        instance.StateSince = now;
        return before;
    }

    private static AlertState Next(AlertInstance instance, Observation? observation, AlertDefinition definition, DateTime now, AlertState before)
    {
        if (observation is null)
            return AlertState.Error;
        instance.Value = observation.Value;
        instance.Expected = observation.Expected;
        instance.Message = observation.Message;
        if (observation.Subject.Length > 0)
            instance.Subject = observation.Subject;
        switch (observation.Condition)
        {
            case null:
                instance.ConditionSince = null;
                // A firing alert whose number went missing keeps firing for its keep-firing period, then says so.
                if (before == AlertState.Firing && now - (instance.ClearedSince ??= now) < definition.KeepFiringFor)
                    return AlertState.Firing;
                return AlertState.NoData;
            case true:
                instance.ClearedSince = null;
                instance.ConditionSince ??= now;
                return before == AlertState.Firing || now - instance.ConditionSince.Value >= definition.PendingFor ? AlertState.Firing : AlertState.Pending;
            default:
                instance.ConditionSince = null;
                if (before == AlertState.Firing)
                    return now - (instance.ClearedSince ??= now) >= definition.KeepFiringFor ? AlertState.Resolved : AlertState.Firing;
                instance.ClearedSince = null;
                return AlertState.Normal;
        }
    }
}
