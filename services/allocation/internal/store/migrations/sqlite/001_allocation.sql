-- The allocation database. Aggregates are stored whole in doc (JSON); the columns beside it
-- are what lists filter and sort on, what the sweep looks for and what the database's own
-- rules (unique codes, no overlapping leases) are written over. created_at columns are
-- fixed-width RFC 3339 text and dates are YYYY-MM-DD text, so text order is time order.

CREATE TABLE zones (
	id TEXT PRIMARY KEY,
	code TEXT NOT NULL,
	status TEXT NOT NULL,
	province TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL,
	CONSTRAINT zones_code_unique UNIQUE (code)
);

-- Plot codes are unique in a zone whatever the plot's status. The bounding box of a drawn
-- plot (NULL for plots planned by area alone) narrows the overlap search of a new boundary to
-- the few plots it could touch.
CREATE TABLE plots (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	code TEXT NOT NULL,
	status TEXT NOT NULL,
	land_use TEXT NOT NULL,
	area INTEGER NOT NULL CHECK (area > 0), -- hundredths of a square metre
	min_lon REAL,
	min_lat REAL,
	max_lon REAL,
	max_lat REAL,
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL,
	CONSTRAINT plots_zone_code_unique UNIQUE (zone_id, code)
);
CREATE INDEX plots_zone_status ON plots (zone_id, status, code);
CREATE INDEX plots_zone_bbox ON plots (zone_id, min_lon, max_lon) WHERE status = 'live' AND min_lon IS NOT NULL;

CREATE TABLE buildings (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	plot_id TEXT NOT NULL REFERENCES plots (id),
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL
);
CREATE INDEX buildings_plot ON buildings (plot_id);

CREATE TABLE units (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	plot_id TEXT NOT NULL REFERENCES plots (id),
	building_id TEXT NOT NULL REFERENCES buildings (id),
	unit_use TEXT NOT NULL,
	area INTEGER NOT NULL CHECK (area > 0), -- hundredths of a square metre
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL
);
CREATE INDEX units_zone ON units (zone_id, created_at, id);
CREATE INDEX units_plot ON units (plot_id);

-- The local projection of the tenants service's licences, kept by the allocation-licences
-- consumer. tenant_id and zone_code come from licence.granted; a status event that overtakes
-- it leaves them empty until it arrives.
CREATE TABLE licences (
	id TEXT PRIMARY KEY,
	tenant_id TEXT NOT NULL DEFAULT '',
	zone_code TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX licences_tenant_zone ON licences (tenant_id, zone_code);

CREATE TABLE requests (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	tenant_id TEXT NOT NULL,
	licence_id TEXT NOT NULL,
	status TEXT NOT NULL,
	offer_valid_until TEXT, -- while offered: the sweep expires it after this day
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL
);
CREATE INDEX requests_order ON requests (created_at, id);
CREATE INDEX requests_zone ON requests (zone_id, created_at);
CREATE INDEX requests_tenant ON requests (tenant_id, created_at);
CREATE INDEX requests_offers_due ON requests (offer_valid_until, id) WHERE status = 'offered';

-- last_day is the last day the lease holds its space: its end, or the end its notice gave it,
-- or the day it ended. milestone_due is the earliest construction deadline of a holding land
-- lease that is neither recorded nor reported as missed (NULL when none is left).
CREATE TABLE leases (
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL UNIQUE REFERENCES requests (id),
	zone_id TEXT NOT NULL REFERENCES zones (id),
	plot_id TEXT NOT NULL REFERENCES plots (id),
	space_kind TEXT NOT NULL CHECK (space_kind IN ('plot', 'unit')),
	space_id TEXT NOT NULL,
	tenant_id TEXT NOT NULL,
	licence_id TEXT NOT NULL,
	status TEXT NOT NULL,
	start_date TEXT NOT NULL,
	last_day TEXT NOT NULL,
	idle INTEGER NOT NULL DEFAULT 0,
	milestone_due TEXT,
	version INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc TEXT NOT NULL,
	CHECK (last_day >= start_date)
);
CREATE INDEX leases_order ON leases (created_at, id);
CREATE INDEX leases_zone ON leases (zone_id, created_at);
CREATE INDEX leases_tenant ON leases (tenant_id, created_at);
CREATE INDEX leases_licence ON leases (licence_id) WHERE status = 'active';
CREATE INDEX leases_space ON leases (space_id) WHERE status <> 'ended';
CREATE INDEX leases_plot ON leases (plot_id) WHERE status <> 'ended';
CREATE INDEX leases_end_due ON leases (last_day, id) WHERE status <> 'ended';
CREATE INDEX leases_milestone_due ON leases (milestone_due, id) WHERE milestone_due IS NOT NULL;

-- SQLite has no exclusion constraints. The service checks both lease rules inside its write
-- transaction, and SQLite has one writer, so nothing can interleave; these triggers state the
-- same rules as PostgreSQL's constraints (leases_no_overlap, leases_land_or_units), so that a
-- write that skipped the check is refused here too, under the same names.
CREATE TRIGGER leases_no_overlap_insert BEFORE INSERT ON leases
WHEN NEW.status <> 'ended' AND EXISTS (
	SELECT 1 FROM leases o WHERE o.space_id = NEW.space_id AND o.status <> 'ended' AND o.id <> NEW.id
		AND o.start_date <= NEW.last_day AND NEW.start_date <= o.last_day)
BEGIN SELECT RAISE(ABORT, 'exclusion constraint leases_no_overlap'); END;

CREATE TRIGGER leases_no_overlap_update BEFORE UPDATE OF space_id, status, start_date, last_day ON leases
WHEN NEW.status <> 'ended' AND EXISTS (
	SELECT 1 FROM leases o WHERE o.space_id = NEW.space_id AND o.status <> 'ended' AND o.id <> NEW.id
		AND o.start_date <= NEW.last_day AND NEW.start_date <= o.last_day)
BEGIN SELECT RAISE(ABORT, 'exclusion constraint leases_no_overlap'); END;

CREATE TRIGGER leases_land_or_units_insert BEFORE INSERT ON leases
WHEN NEW.status <> 'ended' AND EXISTS (
	SELECT 1 FROM leases o WHERE o.plot_id = NEW.plot_id AND o.space_kind <> NEW.space_kind AND o.status <> 'ended'
		AND o.id <> NEW.id AND o.start_date <= NEW.last_day AND NEW.start_date <= o.last_day)
BEGIN SELECT RAISE(ABORT, 'exclusion constraint leases_land_or_units'); END;

CREATE TRIGGER leases_land_or_units_update BEFORE UPDATE OF plot_id, space_kind, status, start_date, last_day ON leases
WHEN NEW.status <> 'ended' AND EXISTS (
	SELECT 1 FROM leases o WHERE o.plot_id = NEW.plot_id AND o.space_kind <> NEW.space_kind AND o.status <> 'ended'
		AND o.id <> NEW.id AND o.start_date <= NEW.last_day AND NEW.start_date <= o.last_day)
BEGIN SELECT RAISE(ABORT, 'exclusion constraint leases_land_or_units'); END;
