// Package store keeps applications and licences in the tenants database, on SQLite or
// PostgreSQL with the same code. Every change runs in one write transaction (Store.Write, the
// platform's unit of work) whose Tx hands the service typed reads and writes; the events of
// the change go into the outbox in that same transaction (Tx.Emit), so state and events commit
// together, and the outbox relay is woken after the commit. The one exception is the first
// write of an application on PostgreSQL (CreateApplication), a single statement that is its
// own transaction.
package store

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/libs/platform/work"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations are the tenants tables, for both dialects.
var Migrations = db.Embedded("tenants", migrationFS, "migrations")

// ErrRegistrationTaken means another tenant already applied under this registration number.
var ErrRegistrationTaken = fmt.Errorf("registration number belongs to another company: %w", fault.ErrConflict)

// Store is the tenants database. Write (from work.Writer) runs one unit of work.
type Store struct{ *work.Writer[Tx] }

// New returns a store on d; notify is called after every commit that wrote events, to wake the
// outbox relay (nil for none).
func New(d *db.DB, notify func()) *Store {
	return &Store{work.NewWriter[Tx](d, notify)}
}

// Tx is one write transaction, typed for applications and licences.
type Tx struct{ *work.Tx }

// CreateApplication stores a new application and its events. The registration number is
// claimed for the application's tenant on first use; another tenant using it is a conflict.
//
// It is the one write outside Write: on PostgreSQL it is a single statement, which is atomic
// on its own and saves five round trips (BEGIN, claim, read the claim, outbox, COMMIT), the
// difference tenantsload measures on the busiest write (see the README). When that statement
// cannot decide, and on SQLite, it runs as an ordinary unit of work.
func (s *Store) CreateApplication(ctx context.Context, a *licensing.Application, evs ...envelope.Envelope) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	inline := s.DB().Dialect == db.Postgres && len(evs) <= maxEventsInline
	if inline {
		if err = s.createInOneStatement(ctx, a, doc, evs); err == nil && len(evs) > 0 {
			s.Notify()
		}
	}
	if !inline || errors.Is(err, errRetryInTx) {
		err = s.Write(ctx, func(tx *Tx) error {
			if err := tx.insertApplication(ctx, a, doc); err != nil {
				return err
			}
			return tx.Emit(ctx, evs...)
		})
	}
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	return nil
}

// insertApplication claims the registration number and inserts the application.
func (t *Tx) insertApplication(ctx context.Context, a *licensing.Application, doc []byte) error {
	if err := t.ClaimRegistration(ctx, a); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `INSERT INTO applications
		(id, tenant_id, registration_number, status, kind, zone, queued_at, decision_due, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.Applicant.RegistrationNumber, string(a.Status), string(a.Kind), string(a.Zone),
		queuedAt(a), dateOrNil(a.DecisionDue), a.Version, string(doc))
	return err
}

// errRetryInTx sends CreateApplication to its transaction.
var errRetryInTx = errors.New("claim not visible to the statement")

// maxEventsInline bounds the events createInOneStatement writes (outbox.Rows' limit).
const maxEventsInline = 500

// createInOneStatement is CreateApplication on PostgreSQL in one round trip: its
// data-modifying WITH parts see the same snapshot. The owner of the number is the new claim's
// or the stored one's; the application and its events are inserted only when that owner is
// the caller. It returns errRetryInTx when it cannot tell the owner.
func (s *Store) createInOneStatement(ctx context.Context, a *licensing.Application, doc []byte, evs []envelope.Envelope) error {
	reg := a.Applicant.RegistrationNumber
	args := []any{
		reg, a.TenantID, a.Applicant.LegalName, db.TimeKey(a.CreatedAt), reg, // claim
		a.ID, reg, string(a.Status), string(a.Kind), string(a.Zone), queuedAt(a), dateOrNil(a.DecisionDue), a.Version, string(doc),
		a.TenantID, // created only for the number's owner
	}
	events := ""
	if len(evs) > 0 {
		values, eargs, err := outbox.Rows(evs...)
		if err != nil {
			return err
		}
		events = `, events AS (
			INSERT INTO outbox (` + outbox.Columns + `) SELECT * FROM (VALUES ` + values + `) AS v WHERE EXISTS (SELECT 1 FROM created))`
		args = append(args, eargs...)
	}
	q := `WITH claimed AS (
			INSERT INTO applicants (registration_number, tenant_id, legal_name, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (registration_number) DO NOTHING
			RETURNING tenant_id
		), claim AS (
			SELECT tenant_id FROM claimed
			UNION ALL
			SELECT tenant_id FROM applicants WHERE registration_number = ?
			LIMIT 1
		), created AS (
			INSERT INTO applications (id, tenant_id, registration_number, status, kind, zone, queued_at, decision_due, version, doc)
			SELECT ?, claim.tenant_id, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS JSONB) FROM claim WHERE claim.tenant_id = ?
			RETURNING id
		)` + events + `
		SELECT tenant_id FROM claim`
	var owners []string
	if err := s.Statement(ctx, &owners, q, args...); err != nil {
		return err
	}
	switch {
	case len(owners) == 0:
		// Another transaction claimed the number after this statement's snapshot was taken
		// (DO NOTHING waited for it, the read could not see it): decide in a transaction,
		// which reads it.
		return errRetryInTx
	case owners[0] != a.TenantID:
		return ErrRegistrationTaken
	}
	return nil
}

// ClaimRegistration claims the application's registration number for its tenant on first
// use; a number another tenant claimed is ErrRegistrationTaken. Call it before saving an
// application whose applicant changed.
func (t *Tx) ClaimRegistration(ctx context.Context, a *licensing.Application) error {
	if _, err := t.Exec(ctx, `INSERT INTO applicants (registration_number, tenant_id, legal_name, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (registration_number) DO NOTHING`,
		a.Applicant.RegistrationNumber, a.TenantID, a.Applicant.LegalName, db.TimeKey(a.CreatedAt)); err != nil {
		return fmt.Errorf("claim registration number: %w", err)
	}
	var owner string
	if err := t.Get(ctx, &owner, `SELECT tenant_id FROM applicants WHERE registration_number = ?`,
		a.Applicant.RegistrationNumber); err != nil {
		return fmt.Errorf("claim registration number: %w", err)
	}
	if owner != a.TenantID {
		return ErrRegistrationTaken
	}
	return nil
}

// queuedAt orders the operators' queue: by first submission, drafts by creation.
func queuedAt(a *licensing.Application) string {
	if a.SubmittedAt != nil {
		return db.TimeKey(*a.SubmittedAt)
	}
	return db.TimeKey(a.CreatedAt)
}

func dateOrNil(d *licensing.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// Application reads the application and locks it until the transaction ends. An unknown id
// is fault.ErrNotFound.
func (t *Tx) Application(ctx context.Context, id string) (*licensing.Application, error) {
	return work.GetDoc[licensing.Application](ctx, t.Tx, "applications", "application", id, true)
}

// SaveApplication writes a changed application whose Version has moved on.
func (t *Tx) SaveApplication(ctx context.Context, a *licensing.Application) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("save application: %w", err)
	}
	return t.ExecOne(ctx, fmt.Sprintf("application %s (version %d)", a.ID, a.Version), `UPDATE applications
		SET registration_number = ?, status = ?, kind = ?, zone = ?, queued_at = ?, decision_due = ?, version = ?, doc = ?
		WHERE id = ? AND version < ?`,
		a.Applicant.RegistrationNumber, string(a.Status), string(a.Kind), string(a.Zone), queuedAt(a), dateOrNil(a.DecisionDue),
		a.Version, string(doc), a.ID, a.Version)
}

// GetApplication returns one application or fault.ErrNotFound.
func (s *Store) GetApplication(ctx context.Context, id string) (*licensing.Application, error) {
	return db.GetDoc[licensing.Application](ctx, s.DB().Reader(), s.DB().Dialect, "applications", "application", id, false)
}

// NextLicenceNumber takes the next number of the zone's licence sequence for the year (1 for
// the first). The sequence row stays locked until the transaction ends, so numbers run without
// gaps: a transaction that fails returns its number with everything else.
func (t *Tx) NextLicenceNumber(ctx context.Context, zone licensing.ZoneCode, year int) (int, error) {
	var n int
	if err := t.Get(ctx, &n, `INSERT INTO licence_sequences (zone, year, last) VALUES (?, ?, 1)
		ON CONFLICT (zone, year) DO UPDATE SET last = licence_sequences.last + 1 RETURNING last`, string(zone), year); err != nil {
		return 0, fmt.Errorf("next licence number of %s in %d: %w", zone, year, err)
	}
	return n, nil
}

// InsertLicence stores a newly granted licence.
func (t *Tx) InsertLicence(ctx context.Context, l *licensing.Licence) error {
	doc, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("insert licence: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO licences
		(id, number, application_id, tenant_id, status, kind, zone, granted_at, valid_until, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, string(l.Number), l.ApplicationID, l.TenantID, string(l.Status), string(l.Kind), string(l.Zone),
		db.TimeKey(l.GrantedAt), l.ValidUntil.String(), l.Version, string(doc))
	if err != nil {
		return fmt.Errorf("insert licence %s: %w", l.ID, err)
	}
	return nil
}

// Licence reads the licence and locks it until the transaction ends. An unknown id is
// fault.ErrNotFound.
func (t *Tx) Licence(ctx context.Context, id string) (*licensing.Licence, error) {
	return work.GetDoc[licensing.Licence](ctx, t.Tx, "licences", "licence", id, true)
}

// SaveLicence writes a changed licence whose Version has moved on.
func (t *Tx) SaveLicence(ctx context.Context, l *licensing.Licence) error {
	doc, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("save licence: %w", err)
	}
	return t.ExecOne(ctx, "licence "+l.ID, `UPDATE licences SET status = ?, valid_until = ?, version = ?, doc = ? WHERE id = ? AND version < ?`,
		string(l.Status), l.ValidUntil.String(), l.Version, string(doc), l.ID, l.Version)
}

// GetLicence returns one licence or fault.ErrNotFound.
func (s *Store) GetLicence(ctx context.Context, id string) (*licensing.Licence, error) {
	return db.GetDoc[licensing.Licence](ctx, s.DB().Reader(), s.DB().Dialect, "licences", "licence", id, false)
}
