package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// ZoneIDOf resolves a zone named by a client, by its id or its code ("ISB", or "isb": codes
// are upper case, so case does not matter for them). ok is false when no zone has that id or
// code.
func (s *Store) ZoneIDOf(ctx context.Context, ref string) (id string, ok bool, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || !db.Storable(ref) {
		return "", false, nil
	}
	err = s.DB().Reader().GetContext(ctx, &id, s.DB().Rebind(`SELECT id FROM zones WHERE id = ? OR code = ?`), ref, strings.ToUpper(ref))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("zone %s: %w", ref, err)
	}
	return id, true, nil
}

// Letting is how much of a plot leases hold now (active or terminating leases).
type Letting struct {
	// Land is true when a land lease holds the plot itself.
	Land bool
	// Units is how many of the plot's units leases hold.
	Units int
}

// Lettings returns the letting of each of plotIDs that a lease holds; plots absent from the
// answer are not let.
func (s *Store) Lettings(ctx context.Context, plotIDs []string) (map[string]Letting, error) {
	args := idArgs(plotIDs)
	out := make(map[string]Letting, len(args))
	if len(args) == 0 {
		return out, nil
	}
	var rows []struct {
		PlotID string `db:"plot_id"`
		Kind   string `db:"space_kind"`
		N      int    `db:"n"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &rows, s.DB().Rebind(`SELECT plot_id, space_kind, COUNT(*) AS n FROM leases
		WHERE status <> 'ended' AND plot_id IN (`+db.Placeholders(len(args))+`) GROUP BY plot_id, space_kind`), args...); err != nil {
		return nil, fmt.Errorf("lettings: %w", err)
	}
	for _, r := range rows {
		l := out[r.PlotID]
		if r.Kind == "plot" {
			l.Land = true
		} else {
			l.Units += r.N
		}
		out[r.PlotID] = l
	}
	return out, nil
}

// ZoneCodes maps each of ids that is a zone to its code.
func (s *Store) ZoneCodes(ctx context.Context, ids []string) (map[string]string, error) {
	return s.codes(ctx, "zones", ids)
}

// PlotCodes maps each of ids that is a plot to its code.
func (s *Store) PlotCodes(ctx context.Context, ids []string) (map[string]string, error) {
	return s.codes(ctx, "plots", ids)
}

// Units maps each of ids that is a unit to the unit.
func (s *Store) Units(ctx context.Context, ids []string) (map[string]*zoning.Unit, error) {
	units, err := docsByID[zoning.Unit](ctx, s, "units", ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*zoning.Unit, len(units))
	for _, u := range units {
		out[u.ID] = u
	}
	return out, nil
}

// BuildingNames maps each of ids that is a building to its name.
func (s *Store) BuildingNames(ctx context.Context, ids []string) (map[string]string, error) {
	buildings, err := docsByID[zoning.Building](ctx, s, "buildings", ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(buildings))
	for _, b := range buildings {
		out[b.ID] = b.Name
	}
	return out, nil
}

// docsByID reads the records of table with the given ids (those that exist, in no order).
func docsByID[T any](ctx context.Context, s *Store, table string, ids []string) ([]*T, error) {
	args := idArgs(ids)
	if len(args) == 0 {
		return nil, nil
	}
	var docs [][]byte
	if err := s.DB().Reader().SelectContext(ctx, &docs, s.DB().Rebind(`SELECT doc FROM `+table+` WHERE id IN (`+db.Placeholders(len(args))+`)`), args...); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return db.DecodeDocs[T](table, docs)
}

// codes maps the ids of rows of table to their code column.
func (s *Store) codes(ctx context.Context, table string, ids []string) (map[string]string, error) {
	args := idArgs(ids)
	out := make(map[string]string, len(args))
	if len(args) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &rows, s.DB().Rebind(`SELECT id, code FROM `+table+` WHERE id IN (`+db.Placeholders(len(args))+`)`), args...); err != nil {
		return nil, fmt.Errorf("codes of %s: %w", table, err)
	}
	for _, r := range rows {
		out[r.ID] = r.Code
	}
	return out, nil
}

// idArgs returns the distinct storable, non-empty ids as query arguments.
func idArgs(ids []string) []any {
	seen := make(map[string]bool, len(ids))
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] || !db.Storable(id) {
			continue
		}
		seen[id] = true
		args = append(args, id)
	}
	return args
}
