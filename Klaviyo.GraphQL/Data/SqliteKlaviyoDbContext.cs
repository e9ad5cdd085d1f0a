using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Data;

public sealed class SqliteKlaviyoDbContext(DbContextOptions<SqliteKlaviyoDbContext> options) : KlaviyoDbContext(options);
