-- An applicant company is known by its registration number, which belongs to one tenant.
CREATE TABLE applicants (
	registration_number TEXT PRIMARY KEY,
	tenant_id TEXT NOT NULL,
	legal_name TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- Aggregates are stored whole in doc; the columns beside it are what lists filter and sort on.
CREATE TABLE applications (
	id TEXT PRIMARY KEY,
	tenant_id TEXT NOT NULL,
	registration_number TEXT NOT NULL REFERENCES applicants (registration_number),
	status TEXT NOT NULL,
	kind TEXT NOT NULL,
	zone TEXT NOT NULL,
	queued_at TEXT NOT NULL,
	decision_due TEXT,
	version INTEGER NOT NULL CHECK (version >= 1),
	doc TEXT NOT NULL
);
CREATE INDEX applications_queue ON applications (queued_at, id);
CREATE INDEX applications_status ON applications (status, queued_at);
CREATE INDEX applications_tenant ON applications (tenant_id, queued_at);

CREATE TABLE licences (
	id TEXT PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,
	application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
	tenant_id TEXT NOT NULL,
	status TEXT NOT NULL,
	kind TEXT NOT NULL,
	zone TEXT NOT NULL,
	granted_at TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	doc TEXT NOT NULL
);
CREATE INDEX licences_order ON licences (granted_at, id);
CREATE INDEX licences_tenant ON licences (tenant_id, granted_at);
CREATE INDEX licences_expiry ON licences (status, valid_until);

-- Licence numbers are STZ-<ZONE>-<YEAR>-<SEQ>; the sequence is per zone and year.
CREATE TABLE licence_sequences (
	zone TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (zone, year)
);
