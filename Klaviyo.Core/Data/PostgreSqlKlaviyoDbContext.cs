using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Data;

public sealed class PostgreSqlKlaviyoDbContext(DbContextOptions<PostgreSqlKlaviyoDbContext> options) : KlaviyoDbContext(options);
