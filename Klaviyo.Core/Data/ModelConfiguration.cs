using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Klaviyo.Core.Data;

// One configuration per aggregate; indexes are named for the query that needs them.
internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.HasKey(c => c.Id);
        b.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Statistics).WithOne().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.SendTime);   // overview: campaigns sent in a window; default sort
        b.HasIndex(c => c.UpdatedAt);  // sync cursor
        b.HasIndex(c => c.Name);       // filter and sort by name
        b.HasIndex(c => c.Status);
    }
}

internal sealed class CampaignMessageConfiguration : IEntityTypeConfiguration<CampaignMessage>
{
    public void Configure(EntityTypeBuilder<CampaignMessage> b)
    {
        b.HasKey(m => m.Id);
        b.Property(m => m.Subject).HasMaxLength(1000);
        b.Property(m => m.PreviewText).HasMaxLength(1000);
        b.HasIndex(m => m.CampaignId);
    }
}

internal sealed class CampaignStatisticsConfiguration : IEntityTypeConfiguration<CampaignStatistics>
{
    public void Configure(EntityTypeBuilder<CampaignStatistics> b)
    {
        b.HasKey(s => new { s.CampaignId, s.ConversionMetricId, s.Channel });
        b.Property(s => s.ConversionMetricId).HasMaxLength(64);
        b.Property(s => s.Channel).HasMaxLength(16);
        b.ComplexProperty(s => s.Values);
    }
}

internal sealed class FlowConfiguration : IEntityTypeConfiguration<Flow>
{
    public void Configure(EntityTypeBuilder<Flow> b)
    {
        b.HasKey(f => f.Id);
        b.HasMany(f => f.Statistics).WithOne().HasForeignKey(s => s.FlowId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.Name);
        b.HasIndex(f => f.Updated);
    }
}

internal sealed class FlowStatisticsConfiguration : IEntityTypeConfiguration<FlowStatistics>
{
    public void Configure(EntityTypeBuilder<FlowStatistics> b)
    {
        b.HasKey(s => new { s.FlowId, s.ConversionMetricId, s.Channel });
        b.Property(s => s.ConversionMetricId).HasMaxLength(64);
        b.Property(s => s.Channel).HasMaxLength(16);
        b.ComplexProperty(s => s.Values);
    }
}

internal sealed class MetricConfiguration : IEntityTypeConfiguration<Metric>
{
    public void Configure(EntityTypeBuilder<Metric> b)
    {
        b.HasKey(m => m.Id);
        b.HasIndex(m => m.Name); // overview looks metrics up by name ("Placed Order")
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.HasKey(s => s.Id);
        b.HasIndex(s => s.Name);
        b.HasIndex(s => s.ProfileCount);
    }
}

internal sealed class KlaviyoListConfiguration : IEntityTypeConfiguration<KlaviyoList>
{
    public void Configure(EntityTypeBuilder<KlaviyoList> b)
    {
        b.ToTable("Lists");
        b.HasKey(l => l.Id);
        b.HasIndex(l => l.Name);
        b.HasIndex(l => l.ProfileCount);
    }
}

internal sealed class FormConfiguration : IEntityTypeConfiguration<Form>
{
    public void Configure(EntityTypeBuilder<Form> b)
    {
        b.HasKey(f => f.Id);
        b.HasOne(f => f.Statistics).WithOne().HasForeignKey<FormStatistics>(s => s.FormId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.Name);
        b.HasIndex(f => f.UpdatedAt);
    }
}

internal sealed class FormStatisticsConfiguration : IEntityTypeConfiguration<FormStatistics>
{
    public void Configure(EntityTypeBuilder<FormStatistics> b) => b.HasKey(s => s.FormId);
}

internal sealed class ProfileConfiguration : IEntityTypeConfiguration<Profile>
{
    public void Configure(EntityTypeBuilder<Profile> b)
    {
        b.HasKey(p => p.Id);
        b.HasIndex(p => p.Email);
        b.HasIndex(p => p.Updated);                          // sync cursor
        b.HasIndex(p => new { p.EmailConsent, p.Created });  // active subscribers as of a date
    }
}

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.HasKey(e => e.Id);
        b.Ignore(e => e.Channel);
        // The one query that reads events: a metric's events in a window (the minutes at the ends of
        // a range, recomputations). Every other index cost each synced event a random write into
        // another B-tree and served no query, so there are none (migration EventIndexesThatServeQueries).
        b.HasIndex(e => new { e.MetricId, e.Datetime });
    }
}

internal sealed class MetricRollupConfiguration : IEntityTypeConfiguration<MetricRollup>
{
    public void Configure(EntityTypeBuilder<MetricRollup> b) =>
        // The key doubles as the index every series and KPI query seeks on.
        b.HasKey(r => new { r.MetricId, r.Granularity, r.BucketStart, r.Channel });
}

internal sealed class SyncStateConfiguration : IEntityTypeConfiguration<SyncState>
{
    public void Configure(EntityTypeBuilder<SyncState> b)
    {
        b.HasKey(s => s.Entity);
        b.Property(s => s.Entity).HasConversion<string>().HasMaxLength(40);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.LastError).HasMaxLength(2000);
        b.Property(s => s.LastErrorCode).HasMaxLength(40);
        b.Property(s => s.Cursor).HasMaxLength(2000);
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> b)
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Error).HasMaxLength(2000);
        b.HasIndex(r => r.StartedAt); // syncRuns: newest first
    }
}

internal sealed class SyncLeaseConfiguration : IEntityTypeConfiguration<SyncLease>
{
    public void Configure(EntityTypeBuilder<SyncLease> b)
    {
        b.HasKey(l => l.Id);
        b.Property(l => l.Id).ValueGeneratedNever();
        b.HasData(new SyncLease { Id = SyncLease.SingletonId, Epoch = 0, ExpiresAtMs = 0 });
    }
}

internal sealed class LiveInstanceConfiguration : IEntityTypeConfiguration<LiveInstance>
{
    public void Configure(EntityTypeBuilder<LiveInstance> b)
    {
        b.HasKey(i => i.Id);
        b.Property(i => i.Id).HasMaxLength(200);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    // A key's XML is a few kilobytes: exempt from the 400-character convention (PostgreSQL enforces it, SQLite does not).
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> b) =>
        b.Property(k => k.Xml).HasMaxLength(-1);
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.HasKey(d => d.Signature);
        b.Property(d => d.Signature).HasMaxLength(64);
        b.HasIndex(d => d.ReceivedAt);
    }
}

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    public void Configure(EntityTypeBuilder<StoredSecret> b)
    {
        b.HasKey(s => s.Name);
        b.Property(s => s.Name).HasMaxLength(64);
        b.Property(s => s.Protected).HasMaxLength(1000);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.HasKey(k => k.Id);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.Property(k => k.Hash).HasMaxLength(32);
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Role).HasMaxLength(16);
        b.Property(k => k.AccountIds).HasMaxLength(4000);
        b.Ignore(k => k.Accounts);
        b.HasIndex(k => k.Prefix).IsUnique(); // lookup of a presented key
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.Timezone).HasMaxLength(64);
        b.Property(a => a.Currency).HasMaxLength(3);
    }
}

internal sealed class ReportBudgetDayConfiguration : IEntityTypeConfiguration<ReportBudgetDay>
{
    public void Configure(EntityTypeBuilder<ReportBudgetDay> b) => b.HasKey(d => d.Day);
}

internal sealed class ReportMetricRequestConfiguration : IEntityTypeConfiguration<ReportMetricRequest>
{
    public void Configure(EntityTypeBuilder<ReportMetricRequest> b)
    {
        b.HasKey(r => r.MetricId);
        b.Property(r => r.MetricId).HasMaxLength(64);
    }
}

internal sealed class ConnectedAccountConfiguration : IEntityTypeConfiguration<ConnectedAccount>
{
    public void Configure(EntityTypeBuilder<ConnectedAccount> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).HasMaxLength(32);
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.KlaviyoId).HasMaxLength(32);
        b.Property(a => a.ProtectedKey).HasMaxLength(1000);
        b.Ignore(a => a.Store);
        // Upgrading a single-account database makes its account the first of the list, every row of it kept where it is.
        b.HasData(new ConnectedAccount
        {
            Id = ConnectedAccount.DefaultId,
            Name = "This deployment's account",
            AddedAt = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc),
        });
    }
}
