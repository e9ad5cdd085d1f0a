using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Data;

public sealed class PostgreSqlKlaviyoDbContext(DbContextOptions<PostgreSqlKlaviyoDbContext> options) : KlaviyoDbContext(options);
