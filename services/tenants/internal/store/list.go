package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
)

var sqlErrNoRows = sql.ErrNoRows

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

// where builds a WHERE clause from conditions that each hold one '?' group.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// scoped starts a WHERE clause with the filters applications and licences share.
func scoped[S ~string](tenantID, zone, kind string, statuses []S) where {
	var w where
	if tenantID != "" {
		w.add("tenant_id = ?", tenantID)
	}
	if len(statuses) > 0 {
		args := make([]any, len(statuses))
		for i, st := range statuses {
			args[i] = string(st)
		}
		w.add("status IN ("+db.Placeholders(len(args))+")", args...)
	}
	if zone != "" {
		w.add("zone = ?", zone)
	}
	if kind != "" {
		w.add("kind = ?", kind)
	}
	return w
}

func limitOf(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// ListApplications returns a page of applications and the cursor of the next page ("" at the
// end).
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]*licensing.Application, string, error) {
	w := scoped(f.TenantID, f.Zone, f.Kind, f.Statuses)
	if f.OverdueOn != "" {
		w.add("status IN (?, ?) AND decision_due < ?", string(licensing.ApplicationSubmitted), string(licensing.ApplicationResubmitted), f.OverdueOn)
	}
	docs, next, err := s.page(ctx, "applications", "queued_at", w, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", fmt.Errorf("list applications: %w", err)
	}
	out := make([]*licensing.Application, len(docs))
	for i, d := range docs {
		out[i] = new(licensing.Application)
		if err := json.Unmarshal(d, out[i]); err != nil {
			return nil, "", fmt.Errorf("list applications: decode: %w", err)
		}
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
	docs, next, err := s.page(ctx, "licences", "granted_at", w, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", fmt.Errorf("list licences: %w", err)
	}
	out := make([]*licensing.Licence, len(docs))
	for i, d := range docs {
		out[i] = new(licensing.Licence)
		if err := json.Unmarshal(d, out[i]); err != nil {
			return nil, "", fmt.Errorf("list licences: decode: %w", err)
		}
	}
	return out, next, nil
}

// page runs a keyset-paginated query ordered by (key, id); table and key are constants of
// this package, never input.
func (s *Store) page(ctx context.Context, table, key string, w where, after string, limit int) ([][]byte, string, error) {
	c, err := decodeCursor(after)
	if err != nil {
		return nil, "", err
	}
	if c != nil {
		w.add("("+key+" > ? OR ("+key+" = ? AND id > ?))", c.key, c.key, c.id)
	}
	n := limitOf(limit)
	q := "SELECT id, " + key + " AS k, doc FROM " + table + w.sql() + " ORDER BY " + key + ", id LIMIT ?"
	rows, err := s.db.Reader().QueryxContext(ctx, s.db.Rebind(q), append(w.args, n+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	type row struct {
		ID  string `db:"id"`
		K   string `db:"k"`
		Doc []byte `db:"doc"`
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.StructScan(&r); err != nil {
			return nil, "", err
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(got) > n {
		got = got[:n]
		last := got[n-1]
		next = cursor{key: last.K, id: last.ID}.encode()
	}
	docs := make([][]byte, len(got))
	for i, r := range got {
		docs[i] = r.Doc
	}
	return docs, next, nil
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
		if err := s.db.Reader().SelectContext(ctx, &rows, "SELECT status, count(*) AS n FROM "+table+" GROUP BY status"); err != nil {
			return c, fmt.Errorf("count %s: %w", table, err)
		}
		for _, r := range rows {
			into[r.Status] = r.N
		}
	}
	if err := s.db.Reader().GetContext(ctx, &c.Overdue, s.db.Rebind(`SELECT count(*) FROM applications WHERE status IN (?, ?) AND decision_due < ?`),
		string(licensing.ApplicationSubmitted), string(licensing.ApplicationResubmitted), today); err != nil {
		return c, fmt.Errorf("count overdue: %w", err)
	}
	return c, nil
}

// ExpiringLicences returns ids of active or suspended licences whose validity ended before
// today, for the expiry sweep.
func (s *Store) ExpiringLicences(ctx context.Context, today string, limit int) ([]string, error) {
	var ids []string
	err := s.db.Reader().SelectContext(ctx, &ids, s.db.Rebind(`SELECT id FROM licences WHERE status IN (?, ?) AND valid_until < ? ORDER BY valid_until, id LIMIT ?`),
		string(licensing.LicenceActive), string(licensing.LicenceSuspended), today, limitOf(limit))
	if err != nil {
		return nil, fmt.Errorf("expiring licences: %w", err)
	}
	return ids, nil
}
