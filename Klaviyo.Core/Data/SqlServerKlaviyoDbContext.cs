using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Data;

public sealed class SqlServerKlaviyoDbContext(DbContextOptions<SqlServerKlaviyoDbContext> options) : KlaviyoDbContext(options);
