using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Data;

/// <summary>
/// The model shared by every provider. Each provider has a derived context so that its
/// migrations live apart (SQLite and SQL Server need different column types and SQL). Dashboard
/// accounts (ASP.NET Core Identity) and API keys live beside the synced data.
/// </summary>
public abstract class KlaviyoDbContext(DbContextOptions options) : IdentityDbContext<IdentityUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignMessage> CampaignMessages => Set<CampaignMessage>();
    public DbSet<CampaignStatistics> CampaignStatistics => Set<CampaignStatistics>();
    public DbSet<Flow> Flows => Set<Flow>();
    public DbSet<FlowStatistics> FlowStatistics => Set<FlowStatistics>();
    public DbSet<Metric> Metrics => Set<Metric>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<KlaviyoList> Lists => Set<KlaviyoList>();
    public DbSet<Form> Forms => Set<Form>();
    public DbSet<FormStatistics> FormStatistics => Set<FormStatistics>();
    public DbSet<Profile> Profiles => Set<Profile>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<MetricRollup> MetricRollups => Set<MetricRollup>();
    public DbSet<SyncState> SyncStates => Set<SyncState>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncLease> SyncLeases => Set<SyncLease>();
    /// <summary>The instances of a coordinated deployment alive now (read from the deployment's own database).</summary>
    public DbSet<LiveInstance> LiveInstances => Set<LiveInstance>();
    /// <summary>ASP.NET Core's Data Protection keys, shared by every instance when coordinated (cookies and antiforgery tokens one instance issued, another reads).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<StoredSecret> StoredSecrets => Set<StoredSecret>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ReportBudgetDay> ReportBudgetDays => Set<ReportBudgetDay>();
    public DbSet<ReportMetricRequest> ReportMetricRequests => Set<ReportMetricRequest>();
    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<AlertRuleVersion> AlertRuleVersions => Set<AlertRuleVersion>();
    public DbSet<AlertInstance> AlertInstances => Set<AlertInstance>();
    public DbSet<AlertLogEntry> AlertLog => Set<AlertLogEntry>();
    public DbSet<AlertSilence> AlertSilences => Set<AlertSilence>();
    public DbSet<ContactPoint> ContactPoints => Set<ContactPoint>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Digest> Digests => Set<Digest>();
    /// <summary>The Klaviyo accounts this deployment syncs (read from the deployment's own database; other stores keep theirs empty).</summary>
    public DbSet<ConnectedAccount> ConnectedAccounts => Set<ConnectedAccount>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite would otherwise hand them back as Unspecified.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(400);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KlaviyoDbContext).Assembly);
    }
}
