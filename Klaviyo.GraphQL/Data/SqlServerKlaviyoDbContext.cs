using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Data;

public sealed class SqlServerKlaviyoDbContext(DbContextOptions<SqlServerKlaviyoDbContext> options) : KlaviyoDbContext(options);
