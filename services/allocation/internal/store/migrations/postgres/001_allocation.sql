-- The allocation database. Aggregates are stored whole in doc (JSON); the columns beside it
-- are what lists filter and sort on, what the sweep looks for and what the database's own
-- rules (unique codes, no overlapping leases) are written over. created_at columns are
-- fixed-width RFC 3339 text so that text order is time order.

-- btree_gist lets one GiST exclusion constraint mix equality on text with overlap of date
-- ranges. It lives per database; the test harness and app.SchemaDSN create it ahead of the
-- migrations (which is why this is IF NOT EXISTS: with it in place, nothing happens here and
-- no extra privilege is needed).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE zones (
	id TEXT PRIMARY KEY,
	code TEXT NOT NULL,
	status TEXT NOT NULL,
	province TEXT NOT NULL,
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL,
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
	area BIGINT NOT NULL CHECK (area > 0), -- hundredths of a square metre
	min_lon DOUBLE PRECISION,
	min_lat DOUBLE PRECISION,
	max_lon DOUBLE PRECISION,
	max_lat DOUBLE PRECISION,
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL,
	CONSTRAINT plots_zone_code_unique UNIQUE (zone_id, code)
);
CREATE INDEX plots_zone_status ON plots (zone_id, status, code);
CREATE INDEX plots_zone_bbox ON plots (zone_id, min_lon, max_lon) WHERE status = 'live' AND min_lon IS NOT NULL;

CREATE TABLE buildings (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	plot_id TEXT NOT NULL REFERENCES plots (id),
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL
);
CREATE INDEX buildings_plot ON buildings (plot_id);

CREATE TABLE units (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	plot_id TEXT NOT NULL REFERENCES plots (id),
	building_id TEXT NOT NULL REFERENCES buildings (id),
	unit_use TEXT NOT NULL,
	area BIGINT NOT NULL CHECK (area > 0), -- hundredths of a square metre
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL
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
	version BIGINT NOT NULL CHECK (version >= 1)
);
CREATE INDEX licences_tenant_zone ON licences (tenant_id, zone_code);

CREATE TABLE requests (
	id TEXT PRIMARY KEY,
	zone_id TEXT NOT NULL REFERENCES zones (id),
	tenant_id TEXT NOT NULL,
	licence_id TEXT NOT NULL,
	status TEXT NOT NULL,
	offer_valid_until DATE, -- while offered: the sweep expires it after this day
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL
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
	start_date DATE NOT NULL,
	last_day DATE NOT NULL,
	idle BOOLEAN NOT NULL DEFAULT FALSE,
	milestone_due DATE,
	version BIGINT NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	doc JSONB NOT NULL,
	CHECK (last_day >= start_date),
	-- No two leases that hold space (ended leases hold nothing) hold the same space on any
	-- day: the rule the service checks, written where no race can get past it.
	CONSTRAINT leases_no_overlap EXCLUDE USING gist (
		space_id WITH =, daterange(start_date, last_day, '[]') WITH &&
	) WHERE (status <> 'ended'),
	-- Land and built space on one plot are not let at once: a land lease and a unit lease of
	-- the same plot never share a day.
	CONSTRAINT leases_land_or_units EXCLUDE USING gist (
		plot_id WITH =, daterange(start_date, last_day, '[]') WITH &&, space_kind WITH <>
	) WHERE (status <> 'ended')
);
CREATE INDEX leases_order ON leases (created_at, id);
CREATE INDEX leases_zone ON leases (zone_id, created_at);
CREATE INDEX leases_tenant ON leases (tenant_id, created_at);
CREATE INDEX leases_licence ON leases (licence_id) WHERE status = 'active';
CREATE INDEX leases_plot ON leases (plot_id) WHERE status <> 'ended';
CREATE INDEX leases_end_due ON leases (last_day, id) WHERE status <> 'ended';
CREATE INDEX leases_milestone_due ON leases (milestone_due, id) WHERE milestone_due IS NOT NULL;
