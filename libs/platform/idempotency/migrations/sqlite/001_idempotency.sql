-- The first answer to each request that carried an Idempotency-Key, so that a retry gets that
-- answer instead of running the request again. Times are unix milliseconds: the same integer
-- compares and round-trips exactly on both dialects.
CREATE TABLE idempotency_keys (
    scope           TEXT    NOT NULL, -- caller, method and path the key belongs to
    idempotency_key TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL, -- SHA-256 of the request, to refuse a key reused for another request
    lock_token      TEXT,             -- set while the first request runs, NULL once it is answered
    status          INTEGER NOT NULL DEFAULT 0, -- the HTTP status answered; 0 while in progress
    headers         TEXT    NOT NULL DEFAULT '{}', -- the response headers replayed, as JSON
    body            BLOB,
    created_at      INTEGER NOT NULL, -- when the key was (last) reserved
    completed_at    INTEGER,
    PRIMARY KEY (scope, idempotency_key)
);

-- Purge deletes by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
