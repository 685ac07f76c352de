package store

import (
	"context"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
)

// ApplicationFilter selects applications for a list, oldest first.
type ApplicationFilter struct {
	TenantID string                        // only this tenant's (tenants see their own)
	Statuses []licensing.ApplicationStatus // any of these
	Zone     string
	Kind     string
	// OverdueOn, when set (YYYY-MM-DD, today in zone time), keeps only applications with the
	// authority whose decision was due before that day.
	OverdueOn string
	Cursor    string
	Limit     int
}

// scoped starts a WHERE clause with the filters applications and licences share.
func scoped[S ~string](tenantID, zone, kind string, statuses []S) db.Where {
	var w db.Where
	if tenantID != "" {
		w.Add("tenant_id = ?", tenantID)
	}
	if len(statuses) > 0 {
		args := make([]any, len(statuses))
		for i, st := range statuses {
			args[i] = string(st)
		}
		w.Add("status IN ("+db.Placeholders(len(args))+")", args...)
	}
	if zone != "" {
		w.Add("zone = ?", zone)
	}
	if kind != "" {
		w.Add("kind = ?", kind)
	}
	return w
}

// ListApplications returns a page of applications and the cursor of the next page ("" at the
// end).
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]*licensing.Application, string, error) {
	w := scoped(f.TenantID, f.Zone, f.Kind, f.Statuses)
	if f.OverdueOn != "" {
		w.Add("status IN (?, ?) AND decision_due < ?", string(licensing.ApplicationSubmitted), string(licensing.ApplicationResubmitted), f.OverdueOn)
	}
	docs, next, err := s.DB().Keyset(ctx, "applications", "queued_at", w, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", fmt.Errorf("list applications: %w", err)
	}
	out, err := db.DecodeDocs[licensing.Application]("list applications", docs)
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// LicenceFilter selects licences for a list, in order of grant.
type LicenceFilter struct {
	TenantID string
	Statuses []licensing.LicenceStatus
	Zone     string
	Kind     string
	Cursor   string
	Limit    int
}

// ListLicences returns a page of licences and the next cursor.
func (s *Store) ListLicences(ctx context.Context, f LicenceFilter) ([]*licensing.Licence, string, error) {
	w := scoped(f.TenantID, f.Zone, f.Kind, f.Statuses)
	docs, next, err := s.DB().Keyset(ctx, "licences", "granted_at", w, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", fmt.Errorf("list licences: %w", err)
	}
	out, err := db.DecodeDocs[licensing.Licence]("list licences", docs)
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// Counts are the figures behind the business gauges.
type Counts struct {
	Applications map[string]int
	Licences     map[string]int
	// Overdue counts applications with the authority past their decision date.
	Overdue int
}

// Count reads the gauges' figures; today is the zone's date (YYYY-MM-DD).
func (s *Store) Count(ctx context.Context, today string) (Counts, error) {
	c := Counts{Applications: map[string]int{}, Licences: map[string]int{}}
	type kv struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	for table, into := range map[string]map[string]int{"applications": c.Applications, "licences": c.Licences} {
		var rows []kv
		if err := s.DB().Reader().SelectContext(ctx, &rows, "SELECT status, count(*) AS n FROM "+table+" GROUP BY status"); err != nil {
			return c, fmt.Errorf("count %s: %w", table, err)
		}
		for _, r := range rows {
			into[r.Status] = r.N
		}
	}
	if err := s.DB().Reader().GetContext(ctx, &c.Overdue, s.DB().Rebind(`SELECT count(*) FROM applications WHERE status IN (?, ?) AND decision_due < ?`),
		string(licensing.ApplicationSubmitted), string(licensing.ApplicationResubmitted), today); err != nil {
		return c, fmt.Errorf("count overdue: %w", err)
	}
	return c, nil
}

// ExpiringLicences returns ids of active or suspended licences whose validity ended before
// today, for the expiry sweep.
func (s *Store) ExpiringLicences(ctx context.Context, today string, limit int) ([]string, error) {
	var ids []string
	err := s.DB().Reader().SelectContext(ctx, &ids, s.DB().Rebind(`SELECT id FROM licences WHERE status IN (?, ?) AND valid_until < ? ORDER BY valid_until, id LIMIT ?`),
		string(licensing.LicenceActive), string(licensing.LicenceSuspended), today, db.LimitOf(limit))
	if err != nil {
		return nil, fmt.Errorf("expiring licences: %w", err)
	}
	return ids, nil
}
