-- The transactional outbox: rows are written in the same transaction as the state change they
-- describe and deleted by the relay once JetStream has acknowledged them, so every row here is
-- an event not yet known to be published.
--
-- The relay reads `ORDER BY id LIMIT n` (the primary key serves that) and deletes by id; it
-- keeps no high-water mark, so it needs no other index. event_id is unique so that one event
-- cannot be queued twice. created_at is clock_timestamp() (the insert, a moment before commit)
-- in microseconds since the Unix epoch: an integer, so both dialects scan it the same way.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    event_id     TEXT   NOT NULL UNIQUE,
    subject      TEXT   NOT NULL,
    aggregate_id TEXT   NOT NULL,
    payload      TEXT   NOT NULL,
    created_at   BIGINT NOT NULL DEFAULT ((extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
);
