namespace ProductEvents.Storage.Migrations;

/// <summary>A row of <c>schema_migrations</c>.</summary>
public sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt, string Checksum);
