using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Data;

public sealed class SqliteKlaviyoDbContext(DbContextOptions<SqliteKlaviyoDbContext> options) : KlaviyoDbContext(options);
