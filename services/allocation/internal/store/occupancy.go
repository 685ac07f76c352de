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
// that is leased), so the report reads a few index entries per plot instead of loading every
// plot and unit into Go. The statuses are written in rather than bound so that PostgreSQL
// matches the partial indexes of migration 002 (a bound value cannot prove their predicate).
// Areas are hundredths of a square metre; sums of counts are cast so both drivers scan them
// as integers.
var occupancySQL = strings.NewReplacer(
	"{holding}", "'"+string(leasing.LeaseActive)+"', '"+string(leasing.LeaseTerminating)+"'",
	"{live}", "'"+string(zoning.PlotLive)+"'",
	"{waiting}", "'"+string(leasing.RequestSubmitted)+"', '"+string(leasing.RequestOffered)+"'",
).Replace(`
WITH held AS (
	SELECT DISTINCT space_kind, space_id FROM leases WHERE zone_id = ? AND status IN ({holding})
), unit_sums AS (
	SELECT u.plot_id,
		SUM(u.area) AS floor,
		SUM(CASE WHEN h.space_id IS NULL THEN 0 ELSE u.area END) AS leased_floor,
		COUNT(*) AS units,
		COUNT(h.space_id) AS units_held
	FROM units u
	JOIN plots p ON p.id = u.plot_id AND p.zone_id = u.zone_id AND p.status = {live}
	LEFT JOIN held h ON h.space_kind = 'unit' AND h.space_id = u.id
	WHERE u.zone_id = ?
	GROUP BY u.plot_id
), per_plot AS (
	SELECT p.area,
		CASE WHEN h.space_id IS NULL THEN 0 ELSE 1 END AS land,
		COALESCE(s.floor, 0) AS floor,
		COALESCE(s.leased_floor, 0) AS leased_floor,
		COALESCE(s.units, 0) AS units,
		COALESCE(s.units_held, 0) AS units_held
	FROM plots p
	LEFT JOIN held h ON h.space_kind = 'plot' AND h.space_id = p.id
	LEFT JOIN unit_sums s ON s.plot_id = p.id
	WHERE p.zone_id = ? AND p.status = {live}
)
SELECT
	CAST(COALESCE(SUM(area), 0) AS BIGINT) AS total,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN CAST(area AS DOUBLE PRECISION)
		WHEN floor > 0 THEN CAST(area AS DOUBLE PRECISION) * leased_floor / floor
		ELSE 0 END), 0) AS DOUBLE PRECISION) AS leased,
	CAST(COALESCE(SUM(floor), 0) AS BIGINT) AS floor,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN floor ELSE leased_floor END), 0) AS BIGINT) AS leased_floor,
	CAST(COALESCE(SUM(units), 0) AS BIGINT) AS units,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN units ELSE units_held END), 0) AS BIGINT) AS units_leased,
	(SELECT COUNT(*) FROM (SELECT DISTINCT space_kind, space_id FROM leases
		WHERE zone_id = ? AND status IN ({holding}) AND idle) AS idle_spaces) AS idle,
	(SELECT COUNT(*) FROM requests WHERE zone_id = ? AND status IN ({waiting})) AS waiting
FROM per_plot`)

// Occupancy works out the zone's occupancy in the database (see occupancySQL), on the read
// pool. It gives the figures leasing.ComputeOccupancy gives over OccupancyInputs; the store
// tests hold the two to each other.
func (s *Store) Occupancy(ctx context.Context, zoneID string) (leasing.Occupancy, error) {
	var r struct {
		Total       int64   `db:"total"`
		Leased      float64 `db:"leased"`
		Floor       int64   `db:"floor"`
		LeasedFloor int64   `db:"leased_floor"`
		Units       int64   `db:"units"`
		UnitsLeased int64   `db:"units_leased"`
		Idle        int64   `db:"idle"`
		Waiting     int64   `db:"waiting"`
	}
	rd := s.db.Reader()
	if err := rd.GetContext(ctx, &r, rd.Rebind(occupancySQL), zoneID, zoneID, zoneID, zoneID, zoneID); err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy of zone %s: %w", zoneID, err)
	}
	return leasing.Occupancy{
		ZoneID:            zoneID,
		TotalAreaM2:       zoning.Area(r.Total).M2(),
		LeasedAreaM2:      r.Leased / 100,
		FloorAreaM2:       zoning.Area(r.Floor).M2(),
		LeasedFloorAreaM2: zoning.Area(r.LeasedFloor).M2(),
		UnitsLeased:       int(r.UnitsLeased),
		UnitsFree:         int(r.Units - r.UnitsLeased),
		RequestsWaiting:   int(r.Waiting),
		IdleSpaces:        int(r.Idle),
	}.Derive(), nil
}
