-- The occupancy report sums a zone in the database (store.Occupancy). These indexes hold every
-- column it reads, so it walks index entries rather than the documents: the zone's live plots
-- with their area, the zone's units with their plot and area, one probe per space for a
-- holding lease (the partial index matches the statuses the query writes in), and the zone's
-- waiting requests.
CREATE INDEX plots_zone_live_area ON plots (zone_id, id, area) WHERE status = 'live';
CREATE INDEX units_zone_plot_area ON units (zone_id, plot_id, id, area);
CREATE INDEX leases_zone_holding ON leases (zone_id, space_kind, space_id, idle) WHERE status IN ('active', 'terminating');
CREATE INDEX requests_zone_status ON requests (zone_id, status);
