-- Tables and query texts for the Orleans ADO.NET providers (clustering, grain storage, reminders), invariant Npgsql.
--
-- The providers run no SQL of their own: at start-up they read every query they need from OrleansQuery and bind
-- parameters by name (@DeploymentId, @GrainIdHash, ...). They read result columns by name, so every query below
-- names its columns as the provider expects them ("Version", "PayloadBinary", ...).
--
-- Optimistic concurrency is carried by integer versions:
--   * grain storage: the grain's ETag is orleans_storage.version. A write, clear or delete that names another
--     version (or inserts a row that already exists) returns no row, and the provider raises
--     InconsistentStateException.
--   * membership: orleans_membership_version.version is the table version. Every insert or update of a silo row
--     names the version it read and bumps it in the same statement; a stale version changes nothing and returns
--     false. The version row is locked by that UPDATE, so concurrent writers are serialised on it.
--   * reminders: orleans_reminders.version is the reminder's ETag, bumped by every upsert; a delete with a stale
--     ETag returns false.
-- Applying this file again changes nothing: tables and indexes are created only if missing, query rows upserted.

-- Unquoted on purpose: the providers run "SELECT QueryKey, QueryText FROM OrleansQuery", which folds to lower case.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  text NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);

-- Clustering ---------------------------------------------------------------------------------------------------

-- One row per cluster (the providers call the cluster id "DeploymentId").
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (a restarted silo has a new generation).
CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id)
        VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) > 0 AS "Created" FROM created;
$q$),
('MembershipReadAllKey', $q$
    SELECT v.version AS "Version",
           m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
           m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId;
$q$),
-- Always one row for an initialised cluster: the version comes even when the silo has no row.
('MembershipReadRowKey', $q$
    SELECT v.version AS "Version",
           m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
           m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m
           ON m.deployment_id = v.deployment_id
          AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId;
$q$),
-- The bump happens only if the version is the one the silo read and the row is new; the insert only if it bumped.
('InsertMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = @DeploymentId
          AND v.version = @Version
          AND NOT EXISTS (
              SELECT 1 FROM orleans_membership m
              WHERE m.deployment_id = @DeploymentId
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation)
        RETURNING v.deployment_id
    ), inserted AS (
        INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                        proxy_port, start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
               @ProxyPort, @StartTime, @IAmAliveTime
        FROM bumped
        ON CONFLICT (deployment_id, address, port, generation) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) > 0 AS "Inserted" FROM inserted;
$q$),
('UpdateMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = @DeploymentId
          AND v.version = @Version
          AND EXISTS (
              SELECT 1 FROM orleans_membership m
              WHERE m.deployment_id = @DeploymentId
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation)
        RETURNING v.deployment_id
    ), updated AS (
        UPDATE orleans_membership m
        SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
        FROM bumped
        WHERE m.deployment_id = bumped.deployment_id
          AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
        RETURNING 1
    )
    SELECT count(*) > 0 AS "Updated" FROM updated;
$q$),
-- A heartbeat, not a membership change: the table version stays.
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership
    SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId
      AND address = @Address AND port = @Port AND generation = @Generation;
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$),
-- The silo rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),
-- Status 6 is SiloStatus.Dead: only silos declared dead and silent since @IAmAliveTime are removed.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime;
$q$),
-- Not read by the 10.4.2 providers (they clean up through CleanupDefunctSiloEntriesKey); kept so an operator or a
-- later provider can remove one dead silo row.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = 6
      AND address = @Address AND port = @Port AND generation = @Generation;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Grain storage ------------------------------------------------------------------------------------------------

-- A grain is identified by service, grain type and key: n0/n1 hold a Guid or integer key, extension the string
-- key or the key extension. The two hashes lead the index so a lookup is one narrow index probe.
CREATE TABLE IF NOT EXISTS orleans_storage (
    service_id         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_hash      integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_storage_grain ON orleans_storage
    (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
    NULLS NOT DISTINCT;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
    SELECT payload AS "PayloadBinary", version AS "Version"
    FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),
-- No ETag: insert a new row (nothing if it exists). An ETag: update the row holding exactly that version.
-- No row back means a version conflict.
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE orleans_storage
        SET payload = @PayloadBinary, version = version + 1, modified_at = now()
        WHERE @GrainStateVersion IS NOT NULL
          AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
          AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
          AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
          AND version = @GrainStateVersion
        RETURNING version
    ), inserted AS (
        INSERT INTO orleans_storage (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0,
                                     grain_id_n1, grain_id_extension, payload, version)
        SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0,
               @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
        DO NOTHING
        RETURNING version
    )
    SELECT version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT version FROM inserted;
$q$),
-- Keeps the row (and its version history) with no payload.
('ClearStorageKey', $q$
    UPDATE orleans_storage
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version AS "NewGrainStateVersion";
$q$),
-- Used when DeleteStateOnClear is set. The provider expects the deleted version + 1 back.
('DeleteStorageKey', $q$
    DELETE FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version + 1 AS "NewGrainStateVersion";
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Reminders ----------------------------------------------------------------------------------------------------

-- grain_hash is the grain's uniform hash as a signed integer: each silo reads the reminders of its hash range.
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$),
('ReadReminderRowKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$),
-- The 10.4.2 reminder table also needs the two range reads: (begin, end] when begin < end, else the wrapped range.
('ReadRangeRows1Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$),
('ReadRangeRows2Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$),
('UpsertReminderRowKey', $q$
    INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash,
        version = r.version + 1
    RETURNING version AS "Version";
$q$),
('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM orleans_reminders
        WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
          AND version = @Version
        RETURNING 1
    )
    SELECT count(*) > 0 AS "Deleted" FROM deleted;
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
