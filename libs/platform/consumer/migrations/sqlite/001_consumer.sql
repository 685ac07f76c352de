-- One row per event a consumer has handled; inserted in the handler's own transaction, so
-- a redelivered event finds its row and is acknowledged without running the handler again.
CREATE TABLE processed_events (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- For pruning rows older than any possible redelivery.
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

-- The newest version of each aggregate a consumer has applied, so that an older event
-- arriving late is recognised and skipped.
CREATE TABLE aggregate_versions (
    consumer     TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (consumer, aggregate_id)
);
