package db

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Domain-neutral database errors. Stores translate them into domain errors (a unique violation
// on a registration number becomes "already registered").
var (
	ErrUnique        = errors.New("unique constraint violated")
	ErrForeignKey    = errors.New("foreign key constraint violated")
	ErrExclusion     = errors.New("exclusion constraint violated")
	ErrCheck         = errors.New("check constraint violated")
	ErrSerialization = errors.New("serialization failure")
)

// ConstraintError is a classified constraint violation that keeps the constraint's name, so a
// store can tell which rule was broken.
type ConstraintError struct {
	Kind       error  // one of ErrUnique, ErrForeignKey, ErrExclusion, ErrCheck
	Constraint string // the constraint (PostgreSQL) or the failing columns (SQLite)
	Err        error  // the driver's error
}

// Error implements error.
func (e *ConstraintError) Error() string {
	return fmt.Sprintf("%v (%s): %v", e.Kind, e.Constraint, e.Err)
}

// Is matches the kind.
func (e *ConstraintError) Is(target error) bool { return target == e.Kind }

// Unwrap returns the driver's error.
func (e *ConstraintError) Unwrap() error { return e.Err }

// Classify wraps a driver error so that errors.Is matches the domain-neutral errors above; any
// other error is returned unchanged.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var already *ConstraintError
	if errors.As(err, &already) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &ConstraintError{Kind: ErrUnique, Constraint: pgErr.ConstraintName, Err: err}
		case "23503":
			return &ConstraintError{Kind: ErrForeignKey, Constraint: pgErr.ConstraintName, Err: err}
		case "23P01":
			return &ConstraintError{Kind: ErrExclusion, Constraint: pgErr.ConstraintName, Err: err}
		case "23514":
			return &ConstraintError{Kind: ErrCheck, Constraint: pgErr.ConstraintName, Err: err}
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return fmt.Errorf("%w: %w", ErrSerialization, err)
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &ConstraintError{Kind: ErrUnique, Constraint: sqliteColumns(sqErr.Error()), Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &ConstraintError{Kind: ErrForeignKey, Err: err}
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return &ConstraintError{Kind: ErrCheck, Constraint: sqliteColumns(sqErr.Error()), Err: err}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_BUSY_SNAPSHOT:
			return fmt.Errorf("%w: %w", ErrSerialization, err)
		}
	}
	return err
}

// sqliteColumns pulls "table.column" out of "UNIQUE constraint failed: table.column".
func sqliteColumns(msg string) string {
	if i := strings.LastIndex(msg, "failed: "); i >= 0 {
		s := msg[i+len("failed: "):]
		if j := strings.IndexByte(s, ' '); j >= 0 {
			s = s[:j]
		}
		return strings.TrimRight(s, ")")
	}
	return ""
}
