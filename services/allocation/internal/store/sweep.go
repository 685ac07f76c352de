package store

import (
	"context"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Due is a record the sweep may have to act on, and the zone whose lock it takes to do so.
type Due struct {
	ID     string `db:"id"`
	ZoneID string `db:"zone_id"`
}

// due pages through candidates by id: the sweep re-checks each one under its zone's lock (a
// candidate may not be due yet in its zone's time, or another sweep got there first), so a
// candidate left as it was must not come back in the next batch.
func (s *Store) due(ctx context.Context, what, query string, before leasing.Date, after string, limit int) ([]Due, error) {
	var out []Due
	if err := s.DB().Reader().SelectContext(ctx, &out, s.DB().Rebind(query+` AND id > ? ORDER BY id LIMIT ?`), before.String(), after, db.LimitOf(limit)); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// OffersDue returns up to limit open offers (requests in offered) whose last valid day is
// before before, with ids after after.
func (s *Store) OffersDue(ctx context.Context, before leasing.Date, after string, limit int) ([]Due, error) {
	return s.due(ctx, "offers due", `SELECT id, zone_id FROM requests WHERE status = 'offered' AND offer_valid_until < ?`, before, after, limit)
}

// LeaseEndsDue returns up to limit leases that still hold their space although their last day
// is before before, with ids after after.
func (s *Store) LeaseEndsDue(ctx context.Context, before leasing.Date, after string, limit int) ([]Due, error) {
	return s.due(ctx, "lease ends due", `SELECT id, zone_id FROM leases WHERE status <> 'ended' AND last_day < ?`, before, after, limit)
}

// MilestonesDue returns up to limit holding land leases with a construction deadline before
// before that is neither recorded nor reported, with ids after after.
func (s *Store) MilestonesDue(ctx context.Context, before leasing.Date, after string, limit int) ([]Due, error) {
	return s.due(ctx, "milestones due", `SELECT id, zone_id FROM leases WHERE milestone_due IS NOT NULL AND milestone_due < ?`, before, after, limit)
}

// OccupancyInputs reads what leasing.ComputeOccupancy needs for a zone, without the heavy
// documents: the zone's live plots and the units standing on them, the leases that hold space
// in it, and how many requests wait (submitted or offered).
func (s *Store) OccupancyInputs(ctx context.Context, zoneID string) ([]leasing.Space, []leasing.Lease, int, error) {
	fail := func(err error) ([]leasing.Space, []leasing.Lease, int, error) {
		return nil, nil, 0, fmt.Errorf("occupancy of zone %s: %w", zoneID, err)
	}
	var plots []struct {
		ID   string `db:"id"`
		Area int64  `db:"area"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &plots, s.DB().Rebind(`SELECT id, area FROM plots WHERE zone_id = ? AND status = ? ORDER BY code, id`),
		zoneID, string(zoning.PlotLive)); err != nil {
		return fail(err)
	}
	var units []struct {
		ID     string `db:"id"`
		PlotID string `db:"plot_id"`
		Area   int64  `db:"area"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &units, s.DB().Rebind(`SELECT u.id, u.plot_id, u.area FROM units u JOIN plots p ON p.id = u.plot_id
		WHERE u.zone_id = ? AND p.status = ? ORDER BY u.created_at, u.id`), zoneID, string(zoning.PlotLive)); err != nil {
		return fail(err)
	}
	spaces := make([]leasing.Space, 0, len(plots)+len(units))
	for _, p := range plots {
		spaces = append(spaces, leasing.Space{Ref: leasing.SpaceRef{Kind: leasing.KindPlot, ID: p.ID}, ZoneID: zoneID, PlotID: p.ID,
			AreaM2: zoning.Area(p.Area).M2(), Live: true})
	}
	for _, u := range units {
		spaces = append(spaces, leasing.Space{Ref: leasing.SpaceRef{Kind: leasing.KindUnit, ID: u.ID}, ZoneID: zoneID, PlotID: u.PlotID,
			AreaM2: zoning.Area(u.Area).M2(), Live: true})
	}

	var rows []struct {
		ID        string `db:"id"`
		SpaceKind string `db:"space_kind"`
		SpaceID   string `db:"space_id"`
		PlotID    string `db:"plot_id"`
		Status    string `db:"status"`
		Idle      bool   `db:"idle"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &rows, s.DB().Rebind(`SELECT id, space_kind, space_id, plot_id, status, idle FROM leases
		WHERE zone_id = ? AND status <> 'ended' ORDER BY id`), zoneID); err != nil {
		return fail(err)
	}
	leases := make([]leasing.Lease, len(rows))
	for i, r := range rows {
		kind := leasing.SpaceKind(r.SpaceKind)
		leases[i] = leasing.Lease{ID: r.ID, ZoneID: zoneID, Space: leasing.SpaceRef{Kind: kind, ID: r.SpaceID}, PlotID: r.PlotID,
			LandLease: kind == leasing.KindPlot, Status: leasing.LeaseStatus(r.Status), Idle: r.Idle}
	}

	var waiting int
	if err := s.DB().Reader().GetContext(ctx, &waiting, s.DB().Rebind(`SELECT count(*) FROM requests WHERE zone_id = ? AND status IN (?, ?)`),
		zoneID, string(leasing.RequestSubmitted), string(leasing.RequestOffered)); err != nil {
		return fail(err)
	}
	return spaces, leases, waiting, nil
}
