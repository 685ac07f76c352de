package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// occupancySQL sums a zone's occupancy in the database by the rules leasing.Occupancy states
// (a plot leased as land counts whole, a built plot counts the share of its units' floor area
// that is leased). Most plots of a big zone are bare, and bare plots only add their area, so
// per-plot work is driven from the few sides that need it: the total is one sum over the
// zone's live plots (an index-only scan), land leases are found from the leases, and built
// plots from their units. A space is held when an index probe finds a holding lease of it (a
// space may have several, one after another), and a plot is looked up by its key from the
// unit or lease that names it, by nothing but its key: scalar subqueries fix which side
// drives, and a key-only condition fixes the index, because before a freshly imported zone is
// analysed PostgreSQL takes every condition for selective (it would drive from the zone's
// 10,000 plots, or scan them all for each unit through the zone's index). The statuses are
// written in rather than bound so that PostgreSQL matches the partial indexes of migration
// 002. Every placeholder is the zone id; areas are hundredths of a square metre.
var occupancySQL = strings.NewReplacer(
	"{holding}", "'"+string(leasing.LeaseActive)+"', '"+string(leasing.LeaseTerminating)+"'",
	"{live}", "'"+string(zoning.PlotLive)+"'",
	"{waiting}", "'"+string(leasing.RequestSubmitted)+"', '"+string(leasing.RequestOffered)+"'",
).Replace(`
WITH units_of_zone AS (
	SELECT u.plot_id, u.area,
		(SELECT CASE WHEN p.zone_id = u.zone_id AND p.status = {live} THEN p.area END FROM plots p WHERE p.id = u.plot_id) AS plot_area,
		CASE WHEN EXISTS (SELECT 1 FROM leases l WHERE l.zone_id = u.zone_id AND l.status IN ({holding})
			AND l.space_kind = 'unit' AND l.space_id = u.id) THEN 1 ELSE 0 END AS held
	FROM units u
	WHERE u.zone_id = ?
), live_units AS (
	SELECT * FROM units_of_zone WHERE plot_area IS NOT NULL
), built AS (
	SELECT plot_id, plot_area, SUM(area) AS floor, SUM(area * held) AS leased_floor, COUNT(*) AS units, SUM(held) AS units_held
	FROM live_units GROUP BY plot_id, plot_area
), built_land AS (
	SELECT b.*, CASE WHEN EXISTS (SELECT 1 FROM leases l WHERE l.zone_id = ? AND l.status IN ({holding})
		AND l.space_kind = 'plot' AND l.space_id = b.plot_id) THEN 1 ELSE 0 END AS land
	FROM built b
)
SELECT
	(SELECT CAST(COALESCE(SUM(area), 0) AS BIGINT) FROM plots WHERE zone_id = ? AND status = {live}) AS total,
	(SELECT CAST(COALESCE(SUM((SELECT CASE WHEN p.zone_id = ? AND p.status = {live} THEN p.area END FROM plots p WHERE p.id = h.space_id)), 0) AS BIGINT)
		FROM (SELECT DISTINCT space_id FROM leases WHERE zone_id = ? AND status IN ({holding}) AND space_kind = 'plot') AS h) AS land_area,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN 0
		ELSE CAST(plot_area AS DOUBLE PRECISION) * leased_floor / floor END), 0) AS DOUBLE PRECISION) AS built_leased,
	CAST(COALESCE(SUM(floor), 0) AS BIGINT) AS floor,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN floor ELSE leased_floor END), 0) AS BIGINT) AS leased_floor,
	CAST(COALESCE(SUM(units), 0) AS BIGINT) AS units,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN units ELSE units_held END), 0) AS BIGINT) AS units_leased,
	(SELECT COUNT(*) FROM (SELECT DISTINCT space_kind, space_id FROM leases
		WHERE zone_id = ? AND status IN ({holding}) AND idle) AS idle_spaces) AS idle,
	(SELECT COUNT(*) FROM requests WHERE zone_id = ? AND status IN ({waiting})) AS waiting
FROM built_land`)

// occupancyArgs is how many times occupancySQL takes the zone id.
var occupancyArgs = strings.Count(occupancySQL, "?")

// Occupancy works out the zone's occupancy in the database (see occupancySQL), on the read
// pool. It gives the figures leasing.ComputeOccupancy gives over OccupancyInputs; the store
// tests hold the two to each other.
func (s *Store) Occupancy(ctx context.Context, zoneID string) (leasing.Occupancy, error) {
	var r struct {
		Total       int64   `db:"total"`
		LandArea    int64   `db:"land_area"`
		BuiltLeased float64 `db:"built_leased"`
		Floor       int64   `db:"floor"`
		LeasedFloor int64   `db:"leased_floor"`
		Units       int64   `db:"units"`
		UnitsLeased int64   `db:"units_leased"`
		Idle        int64   `db:"idle"`
		Waiting     int64   `db:"waiting"`
	}
	rd := s.DB().Reader()
	args := make([]any, occupancyArgs)
	for i := range args {
		args[i] = zoneID
	}
	if err := rd.GetContext(ctx, &r, rd.Rebind(occupancySQL), args...); err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy of zone %s: %w", zoneID, err)
	}
	return leasing.Occupancy{
		ZoneID:            zoneID,
		TotalAreaM2:       zoning.Area(r.Total).M2(),
		LeasedAreaM2:      (float64(r.LandArea) + r.BuiltLeased) / 100,
		FloorAreaM2:       zoning.Area(r.Floor).M2(),
		LeasedFloorAreaM2: zoning.Area(r.LeasedFloor).M2(),
		UnitsLeased:       int(r.UnitsLeased),
		UnitsFree:         int(r.Units - r.UnitsLeased),
		RequestsWaiting:   int(r.Waiting),
		IdleSpaces:        int(r.Idle),
	}.Derive(), nil
}
