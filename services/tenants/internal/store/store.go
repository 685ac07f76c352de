// Package store keeps applications and licences in the tenants database, on SQLite or
// PostgreSQL with the same code. Every change runs as read-modify-write in one transaction that
// also writes the change's events to the outbox, so state and events commit together.
package store

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations are the tenants tables, for both dialects.
var Migrations = db.Embedded("tenants", migrationFS, "migrations")

// ErrRegistrationTaken means another tenant already applied under this registration number.
var ErrRegistrationTaken = fmt.Errorf("registration number belongs to another company: %w", fault.ErrConflict)

// Store is the tenants database.
type Store struct {
	db     *db.DB
	notify func()
}

// New returns a store on d; notify is called after every commit that wrote events, to wake the
// outbox relay (nil for none).
func New(d *db.DB, notify func()) *Store {
	if notify == nil {
		notify = func() {}
	}
	return &Store{db: d, notify: notify}
}

// DB returns the handle, for health checks.
func (s *Store) DB() *db.DB { return s.db }

// CreateApplication stores a new application and its events. The registration number is
// claimed for the application's tenant on first use; another tenant using it is a conflict.
func (s *Store) CreateApplication(ctx context.Context, a *licensing.Application, evs ...envelope.Envelope) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	inline := s.db.Dialect == db.Postgres && len(evs) <= maxEventsInline
	if inline {
		err = s.createInOneStatement(ctx, a, doc, evs)
	}
	if !inline || errors.Is(err, errRetryInTx) {
		err = s.createInTx(ctx, a, doc, evs)
	}
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	if len(evs) > 0 {
		s.notify()
	}
	return nil
}

// createInTx is CreateApplication as a read-modify-write transaction: claim, read the claim,
// insert, queue the events.
func (s *Store) createInTx(ctx context.Context, a *licensing.Application, doc []byte, evs []envelope.Envelope) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := claimRegistration(ctx, tx, a); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO applications
			(id, tenant_id, registration_number, status, kind, zone, queued_at, decision_due, version, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			a.ID, a.TenantID, a.Applicant.RegistrationNumber, string(a.Status), string(a.Kind), string(a.Zone),
			queuedAt(a), dateOrNil(a.DecisionDue), a.Version, string(doc))
		if err != nil {
			return err
		}
		return outbox.Add(ctx, tx, evs...)
	})
}

// errRetryInTx sends CreateApplication to its transaction.
var errRetryInTx = errors.New("claim not visible to the statement")

// maxEventsInline bounds the events createInOneStatement writes (outbox.Rows' limit).
const maxEventsInline = 500

// createInOneStatement is CreateApplication on PostgreSQL in one round trip instead of six
// (BEGIN, claim, read the claim, application, outbox, COMMIT): one statement is atomic on its
// own, and its data-modifying WITH parts see the same snapshot. The owner of the number is the
// new claim's or the stored one's; the application and its events are inserted only when that
// owner is the caller. It returns errRetryInTx when it cannot tell the owner.
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
	if err := s.db.SelectContext(ctx, &owners, s.db.Rebind(q), args...); err != nil {
		return db.Classify(err)
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

func claimRegistration(ctx context.Context, tx *sqlx.Tx, a *licensing.Application) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO applicants (registration_number, tenant_id, legal_name, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (registration_number) DO NOTHING`),
		a.Applicant.RegistrationNumber, a.TenantID, a.Applicant.LegalName, db.TimeKey(a.CreatedAt)); err != nil {
		return err
	}
	var owner string
	if err := tx.GetContext(ctx, &owner, tx.Rebind(`SELECT tenant_id FROM applicants WHERE registration_number = ?`),
		a.Applicant.RegistrationNumber); err != nil {
		return err
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

// ApplicationChange mutates an application and returns the events that record the change.
type ApplicationChange func(a *licensing.Application) ([]envelope.Envelope, error)

// UpdateApplication reads the application, applies change and writes the result and its events
// in one transaction. An unknown id is fault.ErrNotFound; an error from change is returned as
// is and nothing is written.
func (s *Store) UpdateApplication(ctx context.Context, id string, change ApplicationChange) (*licensing.Application, error) {
	var out *licensing.Application
	var wrote bool
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		a, err := s.loadApplication(ctx, tx, id, true)
		if err != nil {
			return err
		}
		registration := a.Applicant.RegistrationNumber
		evs, err := change(a)
		if err != nil {
			return err
		}
		// An edited draft may name another company: it must be this tenant's to name.
		if a.Applicant.RegistrationNumber != registration {
			if err := claimRegistration(ctx, tx, a); err != nil {
				return err
			}
		}
		if err := s.saveApplication(ctx, tx, a); err != nil {
			return err
		}
		if err := outbox.Add(ctx, tx, evs...); err != nil {
			return err
		}
		out, wrote = a, len(evs) > 0
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update application %s: %w", id, err)
	}
	if wrote {
		s.notify()
	}
	return out, nil
}

func (s *Store) saveApplication(ctx context.Context, tx *sqlx.Tx, a *licensing.Application) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return err
	}
	// The version guard is belt and braces: the row is locked (PostgreSQL) or the database is
	// (SQLite), so a lost update would be a bug, and it must fail loudly rather than silently.
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE applications SET registration_number = ?, status = ?, kind = ?, zone = ?,
		queued_at = ?, decision_due = ?, version = ?, doc = ? WHERE id = ? AND version < ?`),
		a.Applicant.RegistrationNumber, string(a.Status), string(a.Kind), string(a.Zone), queuedAt(a), dateOrNil(a.DecisionDue),
		a.Version, string(doc), a.ID, a.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("application %s changed concurrently or not changed (version %d): %w", a.ID, a.Version, fault.ErrConflict)
	}
	return nil
}

func (s *Store) loadApplication(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (*licensing.Application, error) {
	return db.GetDoc[licensing.Application](ctx, q, s.db.Dialect, "applications", "application", id, lock)
}

// GetApplication returns one application or fault.ErrNotFound.
func (s *Store) GetApplication(ctx context.Context, id string) (*licensing.Application, error) {
	return s.loadApplication(ctx, s.db.Reader(), id, false)
}

// Grant approves an application and stores the licence it grants, with a licence number
// taken from the zone's sequence for the year, all in one transaction.
type Grant func(a *licensing.Application, number func(zone string, year int) (int, error)) (*licensing.Licence, []envelope.Envelope, error)

// Approve runs grant on the locked application and writes the application, the licence and
// the events together.
func (s *Store) Approve(ctx context.Context, applicationID string, grant Grant) (*licensing.Licence, error) {
	var out *licensing.Licence
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		a, err := s.loadApplication(ctx, tx, applicationID, true)
		if err != nil {
			return err
		}
		next := func(zone string, year int) (int, error) {
			var n int
			err := tx.GetContext(ctx, &n, tx.Rebind(`INSERT INTO licence_sequences (zone, year, last) VALUES (?, ?, 1)
				ON CONFLICT (zone, year) DO UPDATE SET last = licence_sequences.last + 1 RETURNING last`), zone, year)
			return n, err
		}
		l, evs, err := grant(a, next)
		if err != nil {
			return err
		}
		if err := s.saveApplication(ctx, tx, a); err != nil {
			return err
		}
		doc, err := json.Marshal(l)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO licences
			(id, number, application_id, tenant_id, status, kind, zone, granted_at, valid_until, version, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			l.ID, string(l.Number), l.ApplicationID, l.TenantID, string(l.Status), string(l.Kind), string(l.Zone),
			db.TimeKey(l.GrantedAt), l.ValidUntil.String(), l.Version, string(doc)); err != nil {
			return err
		}
		if err := outbox.Add(ctx, tx, evs...); err != nil {
			return err
		}
		out = l
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("approve application %s: %w", applicationID, err)
	}
	s.notify()
	return out, nil
}

// LicenceChange mutates a licence and returns the events that record the change.
type LicenceChange func(l *licensing.Licence) ([]envelope.Envelope, error)

// UpdateLicence is UpdateApplication for licences.
func (s *Store) UpdateLicence(ctx context.Context, id string, change LicenceChange) (*licensing.Licence, error) {
	var out *licensing.Licence
	var wrote bool
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		l, err := s.loadLicence(ctx, tx, id, true)
		if err != nil {
			return err
		}
		evs, err := change(l)
		if err != nil {
			return err
		}
		doc, err := json.Marshal(l)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE licences SET status = ?, valid_until = ?, version = ?, doc = ?
			WHERE id = ? AND version < ?`), string(l.Status), l.ValidUntil.String(), l.Version, string(doc), l.ID, l.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("licence %s changed concurrently or not changed: %w", l.ID, fault.ErrConflict)
		}
		if err := outbox.Add(ctx, tx, evs...); err != nil {
			return err
		}
		out, wrote = l, len(evs) > 0
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update licence %s: %w", id, err)
	}
	if wrote {
		s.notify()
	}
	return out, nil
}

func (s *Store) loadLicence(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (*licensing.Licence, error) {
	return db.GetDoc[licensing.Licence](ctx, q, s.db.Dialect, "licences", "licence", id, lock)
}

// GetLicence returns one licence or fault.ErrNotFound.
func (s *Store) GetLicence(ctx context.Context, id string) (*licensing.Licence, error) {
	return s.loadLicence(ctx, s.db.Reader(), id, false)
}
