namespace ProductEvents.Storage.Migrations;

/// <summary>An applied migration's script was changed afterwards: the database no longer matches the code.</summary>
public sealed class MigrationChecksumException(int version, string name, string appliedChecksum, string currentChecksum)
    : InvalidOperationException(
        $"Migration V{version:000}__{name} was applied with checksum {appliedChecksum} but the script now has checksum {currentChecksum}. " +
        "Applied migrations must never change: put the change in a new V<number>__<name>.sql file.")
{
    public int Version { get; } = version;
}
