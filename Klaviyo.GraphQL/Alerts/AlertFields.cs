using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Alerts;

/// <summary>Viewers read alerts, the log and silences; Operators also read rules' contact points (to choose them).</summary>
public sealed class AlertQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertRuleType>>>>("alertRules").Description("Every rule: built-in monitors and diagnostics first.")
            .ResolveAsync(async c => await c.AccountServices().GetRequiredService<AlertService>().RulesAsync(c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertType>>>>("alerts")
            .Description("Alerts in these states (every state but NORMAL when omitted), firing first.")
            .Argument<ListGraphType<NonNullGraphType<AlertStateType>>>("states")
            .ResolveAsync(async c =>
            {
                var states = (c.GetArgument<List<AlertState>?>("states") ?? [AlertState.Pending, AlertState.Firing, AlertState.Resolved, AlertState.NoData, AlertState.Error])
                    .Select(s => s.ToString()).ToList();
                await using var db = await Db(c);
                var rows = await db.AlertInstances.AsNoTracking().Where(i => states.Contains(i.State)).ToListAsync(c.CancellationToken);
                return rows.OrderBy(i => i.State == nameof(AlertState.Firing) ? 0 : i.State == nameof(AlertState.Pending) ? 1 : 2).ThenByDescending(i => i.StateSince).ToList();
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertLogEntryType>>>>("alertLog").Description("State changes, newest first.")
            .Argument<IntGraphType>("first", "At most 500; 50 when omitted.")
            .Argument<IdGraphType>("ruleId")
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument<int?>("first") ?? 50;
                if (first is < 1 or > 500)
                    throw new InvalidInputError("first is between 1 and 500.");
                var rule = c.GetArgument<string?>("ruleId") is { } r ? Guid.TryParse(r, out var g) ? g : throw new InvalidInputError($"'{r}' is not a rule id.") : (Guid?)null;
                await using var db = await Db(c);
                return await db.AlertLog.AsNoTracking().Where(e => rule == null || e.RuleId == rule).OrderByDescending(e => e.At).Take(first).ToListAsync(c.CancellationToken);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertSilenceType>>>>("alertSilences").Description("Silences, dismissals and suppressions, newest first.")
            .Argument<BooleanGraphType>("includeEnded", "Also the ended and expired ones.")
            .ResolveAsync(async c =>
            {
                var all = c.GetArgument<bool?>("includeEnded") ?? false;
                var now = c.AccountServices().GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                await using var db = await Db(c);
                return await db.AlertSilences.AsNoTracking().Where(s => all || s.EndedAt == null && (s.EndsAt == null || s.EndsAt > now))
                    .OrderByDescending(s => s.CreatedAt).Take(500).ToListAsync(c.CancellationToken);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ContactPointType>>>>("contactPoints").Description("Where notifications go (secrets never shown).")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c =>
            {
                await using var db = await Db(c);
                return await db.ContactPoints.AsNoTracking().OrderBy(p => p.Name).ToListAsync(c.CancellationToken);
            });
    }

    internal static Task<KlaviyoDbContext> Db(IResolveFieldContext c) =>
        c.AccountServices().GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(c.CancellationToken);
}

/// <summary>Operators manage rules, silences, dismissals and suppressions; Admins contact points.</summary>
public sealed class AlertMutations : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        AddRules(mutation);
        AddSilences(mutation);
        AddEvaluation(mutation);
        AddContactPoints(mutation);
    }

    private static void AddRules(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AlertRuleType>>("createAlertRule")
            .Argument<NonNullGraphType<AlertRuleInputType>>("input")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).CreateRuleAsync(c.GetArgument<AlertRuleInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<AlertRuleType>>("updateAlertRule").Description("A new version of the rule (the old stays in the log's entries).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<AlertRuleInputType>>("input")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).UpdateRuleAsync(c.GuidArgument("id"), c.GetArgument<AlertRuleInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<AlertRuleType>>("setAlertRuleEnabled")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<BooleanGraphType>>("enabled")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).SetEnabledAsync(c.GuidArgument("id"), c.GetArgument<bool>("enabled"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<IdGraphType>>("deleteAlertRule").Description("Deletes a rule somebody wrote (the log keeps its history); answers its id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = c.GuidArgument("id");
                await Service(c).DeleteRuleAsync(id, c.CancellationToken);
                return id;
            });
    }

    /// <summary>Silences, and Klaviyo's Dismiss and Suppress (silences of one alert).</summary>
    private static void AddSilences(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AlertSilenceType>>("createSilence")
            .Argument<NonNullGraphType<SilenceInputType>>("input")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).SilenceAsync(c.GetArgument<SilenceInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<AlertSilenceType>>("endSilence").Description("Ends a silence, dismissal or suppression now (kept, ended).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).EndSilenceAsync(c.GuidArgument("id"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<AlertSilenceType>>("dismissAlert").Description("No more notifications for this alert until it resolves (Klaviyo's Dismiss).")
            .Argument<NonNullGraphType<IdGraphType>>("ruleId")
            .Argument<StringGraphType>("key", "The alert of the rule (\"\" for its only one).")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).DismissAsync(c.GuidArgument("ruleId"), c.GetArgument<string?>("key") ?? "", c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<AlertSilenceType>>("suppressAlert").Description("No notifications for this alert for 30, 60, 120 or 365 days (Klaviyo's Suppress); the log still records it.")
            .Argument<NonNullGraphType<IdGraphType>>("ruleId")
            .Argument<StringGraphType>("key")
            .Argument<NonNullGraphType<IntGraphType>>("days")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await Service(c).SuppressAsync(c.GuidArgument("ruleId"), c.GetArgument<string?>("key") ?? "", c.GetArgument<int>("days"), c.Caller(), c.CancellationToken));
    }

    private static void AddEvaluation(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertChangeType>>>>("evaluateAlerts")
            .Description("Evaluates every enabled rule now, on the sync leader; answers the state changes.")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.AccountServices();
                var lease = services.GetRequiredService<LeaderLease>();
                if (!lease.IsLeader)
                    throw new NotLeaderError(lease);
                return await services.GetRequiredService<AlertEvaluator>().PassAsync(force: true, c.CancellationToken);
            });

    private static void AddContactPoints(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ContactPointPayloadType>>("createContactPoint")
            .Argument<NonNullGraphType<ContactPointInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Service(c).CreateContactPointAsync(c.GetArgument<ContactPointInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<ContactPointPayloadType>>("updateContactPoint")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<ContactPointInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Service(c).UpdateContactPointAsync(c.GuidArgument("id"), c.GetArgument<ContactPointInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<IdGraphType>>("deleteContactPoint")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = c.GuidArgument("id");
                await Service(c).DeleteContactPointAsync(id, c.CancellationToken);
                return id;
            });
        mutation.Field<NonNullGraphType<ContactPointTestType>>("testContactPoint").Description("Sends a test message now and says whether it was delivered.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await c.AccountServices().GetRequiredService<ContactPointTester>().TestAsync(c.GuidArgument("id"), c.CancellationToken));
    }

    private static AlertService Service(IResolveFieldContext c) => c.AccountServices().GetRequiredService<AlertService>();

}

/// <summary>The bell: alerts changing state, on every instance.</summary>
public sealed class AlertSubscriptions : ISubscriptionFields
{
    public void AddTo(ObjectGraphType subscription) =>
        subscription.Field<NonNullGraphType<AlertsChangedEventType>>("alertsChanged")
            .Description("Alerts changing state (firing, resolved, pending…), with how many fire now.")
            .ResolveStream(ctx => Sync.SyncSubscriptions.Bus(ctx).Observe<AlertsChangedEvent>());
}
