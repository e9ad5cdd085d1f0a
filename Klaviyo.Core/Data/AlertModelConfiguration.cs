using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Klaviyo.Core.Data;

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> b)
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Kind).HasMaxLength(20);
        b.Property(r => r.Definition).HasMaxLength(4000);
        b.Property(r => r.LastError).HasMaxLength(1000);
        b.Property(r => r.ContactPoints).HasMaxLength(1000);
        b.Property(r => r.BuiltIn).HasMaxLength(64);
        b.HasIndex(r => r.BuiltIn).IsUnique(); // a built-in rule is created once, whichever instance seeds it
    }
}

internal sealed class AlertRuleVersionConfiguration : IEntityTypeConfiguration<AlertRuleVersion>
{
    public void Configure(EntityTypeBuilder<AlertRuleVersion> b)
    {
        b.HasKey(v => new { v.RuleId, v.Version });
        b.Property(v => v.Name).HasMaxLength(200);
        b.Property(v => v.Definition).HasMaxLength(4000);
    }
}

internal sealed class AlertInstanceConfiguration : IEntityTypeConfiguration<AlertInstance>
{
    public void Configure(EntityTypeBuilder<AlertInstance> b)
    {
        b.HasKey(i => new { i.RuleId, i.Key });
        b.Property(i => i.Key).HasMaxLength(200);
        b.Property(i => i.State).HasMaxLength(20);
        b.Property(i => i.Message).HasMaxLength(1000);
        b.HasIndex(i => i.State); // the bell: what is firing
    }
}

internal sealed class AlertLogEntryConfiguration : IEntityTypeConfiguration<AlertLogEntry>
{
    public void Configure(EntityTypeBuilder<AlertLogEntry> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.RuleName).HasMaxLength(200);
        b.Property(e => e.Key).HasMaxLength(200);
        b.Property(e => e.From).HasMaxLength(20);
        b.Property(e => e.To).HasMaxLength(20);
        b.Property(e => e.Message).HasMaxLength(1000);
        b.Property(e => e.Link).HasMaxLength(1000);
        b.HasIndex(e => e.At);                    // the log, newest first
        b.HasIndex(e => new { e.RuleId, e.At }); // one rule's history
    }
}

internal sealed class AlertSilenceConfiguration : IEntityTypeConfiguration<AlertSilence>
{
    public void Configure(EntityTypeBuilder<AlertSilence> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Kind).HasMaxLength(20);
        b.Property(s => s.Key).HasMaxLength(200);
        b.Property(s => s.Comment).HasMaxLength(1000);
        b.HasIndex(s => s.EndedAt);
    }
}

internal sealed class ContactPointConfiguration : IEntityTypeConfiguration<ContactPoint>
{
    public void Configure(EntityTypeBuilder<ContactPoint> b)
    {
        b.HasKey(c => c.Id);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Kind).HasMaxLength(20);
        b.Property(c => c.Target).HasMaxLength(2000);
        b.Property(c => c.ProtectedSecret).HasMaxLength(4000);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.HasKey(n => n.Id);
        b.HasIndex(n => n.Key).IsUnique(); // one decision, one message: across retries and instances
        b.Property(n => n.LastError).HasMaxLength(1000);
        b.HasIndex(n => new { n.SentAt, n.AbandonedAt, n.NextAttemptAt }); // the dispatcher: what is due
    }
}

internal sealed class DigestConfiguration : IEntityTypeConfiguration<Digest>
{
    public void Configure(EntityTypeBuilder<Digest> b)
    {
        b.HasKey(d => d.Id);
        b.Property(d => d.Name).HasMaxLength(200);
        b.Property(d => d.Frequency).HasMaxLength(20);
        b.Property(d => d.ContactPoints).HasMaxLength(1000);
        b.Property(d => d.UpdatedBy).HasMaxLength(200);
        b.HasIndex(d => d.NextRunAt); // the scheduler: what is due
    }
}
