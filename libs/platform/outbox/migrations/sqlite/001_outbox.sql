-- The transactional outbox: rows are written in the same transaction as the state change they
-- describe and deleted by the relay once JetStream has acknowledged them, so every row here is
-- an event not yet known to be published.
--
-- AUTOINCREMENT: ids are never reused after deletes, so an id names one event for good.
-- The relay reads `ORDER BY id LIMIT n` (the rowid primary key serves that) and deletes by id;
-- it keeps no high-water mark, so it needs no other index. event_id is unique so that one event
-- cannot be queued twice. created_at is the database clock in microseconds since the Unix epoch
-- (an integer, so both dialects scan it the same way and sub-millisecond latency survives).
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT    NOT NULL UNIQUE,
    subject      TEXT    NOT NULL,
    aggregate_id TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000000 AS INTEGER))
);
