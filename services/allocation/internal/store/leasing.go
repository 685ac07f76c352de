package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/work"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Licences: the local projection of the tenants service's licences.

// LicenceRecord is one licence of the projection: what leasing needs (id, tenant, status and
// the version of the last event applied) and the code of the zone the licence is for, as
// licence.granted names it. A tenant may hold licences in several zones.
type LicenceRecord struct {
	leasing.Licence
	ZoneCode string `json:"zone_code"`
}

// Known reports whether licence.granted has been applied (it alone names tenant and zone).
func (r LicenceRecord) Known() bool { return r.TenantID != "" && r.ZoneCode != "" }

type licenceRow struct {
	ID       string `db:"id"`
	TenantID string `db:"tenant_id"`
	ZoneCode string `db:"zone_code"`
	Status   string `db:"status"`
	Version  int64  `db:"version"`
}

func (r licenceRow) record() LicenceRecord {
	return LicenceRecord{
		Licence:  leasing.Licence{ID: r.ID, TenantID: r.TenantID, Status: leasing.LicenceStatus(r.Status), Version: r.Version},
		ZoneCode: r.ZoneCode,
	}
}

// Licence returns the tenant's licence for the zone with code zoneCode: its active one when it
// has several (an expired licence and its successor), else its newest. false means the tenant
// holds no licence for that zone.
func (t *Tx) Licence(ctx context.Context, tenantID, zoneCode string) (leasing.Licence, bool, error) {
	if !db.Storable(tenantID) || !db.Storable(zoneCode) || tenantID == "" || zoneCode == "" {
		return leasing.Licence{}, false, nil
	}
	var r licenceRow
	err := t.Get(ctx, &r, `SELECT id, tenant_id, zone_code, status, version FROM licences
		WHERE tenant_id = ? AND zone_code = ?
		ORDER BY CASE WHEN status = 'active' THEN 0 ELSE 1 END, id DESC LIMIT 1`, tenantID, zoneCode)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return leasing.Licence{}, false, nil
	case err != nil:
		return leasing.Licence{}, false, fmt.Errorf("licence of tenant %s in zone %s: %w", tenantID, zoneCode, err)
	}
	return r.record().Licence, true, nil
}

// LicenceByID returns a licence of the projection (false when unknown). With lock it stays
// locked until the transaction ends (PostgreSQL): take the zone's lock first, as every writer
// does, so that lock order is always zone, then licence.
func (t *Tx) LicenceByID(ctx context.Context, id string, lock bool) (LicenceRecord, bool, error) {
	query := licenceByIDQuery
	if lock {
		query += db.ForUpdate(t.Dialect())
	}
	return licenceByID(id, func(r *licenceRow) error { return t.Get(ctx, r, query, id) })
}

const licenceByIDQuery = `SELECT id, tenant_id, zone_code, status, version FROM licences WHERE id = ?`

// licenceByID reads the licence with get, which runs licenceByIDQuery in a transaction or on
// the read pool.
func licenceByID(id string, get func(*licenceRow) error) (LicenceRecord, bool, error) {
	if !db.Storable(id) || id == "" {
		return LicenceRecord{}, false, nil
	}
	var r licenceRow
	err := get(&r)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return LicenceRecord{}, false, nil
	case err != nil:
		return LicenceRecord{}, false, fmt.Errorf("licence %s: %w", id, err)
	}
	return r.record(), true, nil
}

// UpsertLicence stores the projection of a licence, replacing what was there.
func (t *Tx) UpsertLicence(ctx context.Context, r LicenceRecord) error {
	_, err := t.Exec(ctx, `INSERT INTO licences (id, tenant_id, zone_code, status, version) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, zone_code = excluded.zone_code,
			status = excluded.status, version = excluded.version`,
		r.ID, r.TenantID, r.ZoneCode, string(r.Status), r.Version)
	if err != nil {
		return fmt.Errorf("store licence %s: %w", r.ID, err)
	}
	return nil
}

// GetLicence returns a licence of the projection, or fault.ErrNotFound.
func (s *Store) GetLicence(ctx context.Context, id string) (LicenceRecord, error) {
	d := s.DB()
	r, ok, err := licenceByID(id, func(r *licenceRow) error { return d.Reader().GetContext(ctx, r, d.Rebind(licenceByIDQuery), id) })
	if err == nil && !ok {
		err = db.NotFound("licence", id)
	}
	return r, err
}

// Requests.

// LockRequest locks the request's zone and reads the request.
func (t *Tx) LockRequest(ctx context.Context, requestID string) (*zoning.Zone, *leasing.Request, error) {
	return lockVia[leasing.Request](ctx, t, "requests", "request", requestID)
}

// Request reads a request.
func (t *Tx) Request(ctx context.Context, id string) (*leasing.Request, error) {
	return work.GetDoc[leasing.Request](ctx, t.Tx, "requests", "request", id, false)
}

// offerValidUntil is the request's sweep column: the offer's last day while it is open.
func offerValidUntil(r *leasing.Request) any {
	if r.Status != leasing.RequestOffered || r.Offer == nil {
		return nil
	}
	return r.Offer.Terms.OfferValidUntil.String()
}

// InsertRequest stores a new request.
func (t *Tx) InsertRequest(ctx context.Context, r *leasing.Request) error {
	doc, err := docOf(r)
	if err != nil {
		return fmt.Errorf("insert request: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO requests (id, zone_id, tenant_id, licence_id, status, offer_valid_until, version, created_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.ZoneID, r.TenantID, r.LicenceID, string(r.Status), offerValidUntil(r), r.Version, db.TimeKey(r.CreatedAt), doc)
	return err
}

// UpdateRequest writes a changed request whose Version has moved on.
func (t *Tx) UpdateRequest(ctx context.Context, r *leasing.Request) error {
	doc, err := docOf(r)
	if err != nil {
		return fmt.Errorf("update request: %w", err)
	}
	return t.ExecOne(ctx, "request "+r.ID, `UPDATE requests SET status = ?, offer_valid_until = ?, version = ?, doc = ? WHERE id = ? AND version < ?`,
		string(r.Status), offerValidUntil(r), r.Version, doc, r.ID, r.Version)
}

// GetRequest returns one request or fault.ErrNotFound.
func (s *Store) GetRequest(ctx context.Context, id string) (*leasing.Request, error) {
	return db.GetDoc[leasing.Request](ctx, s.DB().Reader(), s.DB().Dialect, "requests", "request", id, false)
}

// Leases.

// LockLease locks the lease's zone and reads the lease.
func (t *Tx) LockLease(ctx context.Context, leaseID string) (*zoning.Zone, *leasing.Lease, error) {
	return lockVia[leasing.Lease](ctx, t, "leases", "lease", leaseID)
}

// Lease reads a lease.
func (t *Tx) Lease(ctx context.Context, id string) (*leasing.Lease, error) {
	return work.GetDoc[leasing.Lease](ctx, t.Tx, "leases", "lease", id, false)
}

// LeasesOfPlot returns the leases that hold the plot or a unit on it (active or terminating),
// what leasing.CheckAvailable needs to decide whether a space of the plot is free.
func (t *Tx) LeasesOfPlot(ctx context.Context, plotID string) ([]leasing.Lease, error) {
	var docs [][]byte
	if err := t.Select(ctx, &docs, `SELECT doc FROM leases WHERE plot_id = ? AND status <> 'ended' ORDER BY id`, plotID); err != nil {
		return nil, fmt.Errorf("leases of plot %s: %w", plotID, err)
	}
	ls, err := db.DecodeDocs[leasing.Lease]("leases of plot "+plotID, docs)
	if err != nil {
		return nil, err
	}
	out := make([]leasing.Lease, len(ls))
	for i, l := range ls {
		out[i] = *l
	}
	return out, nil
}

// ActiveLeasesOfLicence returns the active leases made under a licence (those a revocation or
// surrender puts under notice), oldest id first.
func (t *Tx) ActiveLeasesOfLicence(ctx context.Context, licenceID string) ([]*leasing.Lease, error) {
	var docs [][]byte
	if err := t.Select(ctx, &docs, `SELECT doc FROM leases WHERE licence_id = ? AND status = 'active' ORDER BY id`, licenceID); err != nil {
		return nil, fmt.Errorf("leases of licence %s: %w", licenceID, err)
	}
	return db.DecodeDocs[leasing.Lease]("leases of licence "+licenceID, docs)
}

// milestoneDue is the lease's sweep column: the earliest construction deadline of a holding
// land lease that is neither recorded nor already reported as missed.
func milestoneDue(l *leasing.Lease) any {
	if !l.LandLease || !l.Status.Holds() {
		return nil
	}
	reported := func(k leasing.MilestoneKind) bool {
		for _, m := range l.Missed {
			if m.Kind == k {
				return true
			}
		}
		return false
	}
	var due *leasing.Date
	for _, m := range []struct {
		kind      leasing.MilestoneKind
		due, done *leasing.Date
	}{
		{leasing.MilestoneConstructionStarted, l.ConstructionStartDue, l.ConstructionStarted},
		{leasing.MilestoneConstructionCompleted, l.ConstructionCompleteDue, l.ConstructionCompleted},
	} {
		if m.due == nil || m.done != nil || reported(m.kind) {
			continue
		}
		if due == nil || m.due.Before(*due) {
			due = m.due
		}
	}
	if due == nil {
		return nil
	}
	return due.String()
}

// The exclusion rules' names, the same on both dialects (constraints on PostgreSQL, triggers
// on SQLite).
const (
	ruleNoOverlap   = "leases_no_overlap"
	ruleLandOrUnits = "leases_land_or_units"
)

// exclusionRule names the lease rule err reports the database refused, or "".
func exclusionRule(err error) string {
	if err == nil {
		return ""
	}
	var ce *db.ConstraintError
	if errors.As(err, &ce) && errors.Is(err, db.ErrExclusion) {
		return ce.Constraint
	}
	for _, rule := range []string{ruleNoOverlap, ruleLandOrUnits} {
		if strings.Contains(err.Error(), "exclusion constraint "+rule) {
			return rule
		}
	}
	return ""
}

// leaseConflict is the conflict the database's refusal of l under rule means, in the words of
// leasing's own checks.
func leaseConflict(l *leasing.Lease, rule string) error {
	switch {
	case rule == ruleLandOrUnits && l.LandLease:
		return fmt.Errorf("%s: units of plot %s are leased over part of %s: %w", l.Space, l.PlotID, l.Period(), leasing.ErrPlotHasUnitLeases)
	case rule == ruleLandOrUnits:
		return fmt.Errorf("%s: plot %s is leased as land over part of %s: %w", l.Space, l.PlotID, l.Period(), leasing.ErrPlotLeasedAsLand)
	}
	return fmt.Errorf("%s is already leased over part of %s: %w", l.Space, l.Period(), leasing.ErrOverlap)
}

// InsertLease stores a new lease. The database refuses a lease that would hold its space, or
// its plot the other way (land against units), on a day another holding lease does; that
// refusal is the conflict leasing.CheckAvailable reports (leasing.ErrOverlap,
// ErrPlotLeasedAsLand or ErrPlotHasUnitLeases) naming the space. On PostgreSQL the
// transaction cannot continue after it.
func (t *Tx) InsertLease(ctx context.Context, l *leasing.Lease) error {
	doc, err := docOf(l)
	if err != nil {
		return fmt.Errorf("insert lease: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO leases (id, request_id, zone_id, plot_id, space_kind, space_id, tenant_id, licence_id,
			status, start_date, last_day, idle, milestone_due, version, created_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.RequestID, l.ZoneID, l.PlotID, string(l.Space.Kind), l.Space.ID, l.TenantID, l.LicenceID,
		string(l.Status), l.Start.String(), l.LastDay().String(), l.Idle, milestoneDue(l), l.Version, db.TimeKey(l.CreatedAt), doc)
	if rule := exclusionRule(err); rule != "" {
		return leaseConflict(l, rule)
	}
	if err != nil {
		return fmt.Errorf("insert lease %s: %w", l.ID, err)
	}
	return nil
}

// UpdateLease writes a changed lease whose Version has moved on.
func (t *Tx) UpdateLease(ctx context.Context, l *leasing.Lease) error {
	doc, err := docOf(l)
	if err != nil {
		return fmt.Errorf("update lease: %w", err)
	}
	err = t.ExecOne(ctx, "lease "+l.ID, `UPDATE leases SET status = ?, last_day = ?, idle = ?, milestone_due = ?, version = ?, doc = ?
		WHERE id = ? AND version < ?`,
		string(l.Status), l.LastDay().String(), l.Idle, milestoneDue(l), l.Version, doc, l.ID, l.Version)
	if rule := exclusionRule(err); rule != "" {
		return leaseConflict(l, rule)
	}
	return err
}

// GetLease returns one lease or fault.ErrNotFound.
func (s *Store) GetLease(ctx context.Context, id string) (*leasing.Lease, error) {
	return db.GetDoc[leasing.Lease](ctx, s.DB().Reader(), s.DB().Dialect, "leases", "lease", id, false)
}
