package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Records stored whole as a JSON document in a doc column, beside the columns that queries
// filter on, are read back with GetDoc and DecodeDocs.

// NotFound is the error of a record that does not exist: what names its kind ("zone").
func NotFound(what, id string) error { return fmt.Errorf("%s %s: %w", what, id, fault.ErrNotFound) }

// GetDoc reads the doc column of the row of table with the id and decodes it into a new T; lock
// takes the row for update (ForUpdate). A missing row, or an id no row can have, is
// fault.ErrNotFound naming what. Table is the caller's constant, never input.
func GetDoc[T any](ctx context.Context, q sqlx.QueryerContext, d Dialect, table, what, id string, lock bool) (*T, error) {
	if !Storable(id) || id == "" {
		return nil, NotFound(what, fmt.Sprintf("%q", id))
	}
	query := "SELECT doc FROM " + table + " WHERE id = ?"
	if lock {
		query += ForUpdate(d)
	}
	var doc []byte
	if err := sqlx.GetContext(ctx, q, &doc, Bind(d, query), id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, NotFound(what, id)
		}
		return nil, fmt.Errorf("read %s %s: %w", what, id, err)
	}
	v := new(T)
	if err := json.Unmarshal(doc, v); err != nil {
		return nil, fmt.Errorf("%s %s: decode: %w", what, id, err)
	}
	return v, nil
}

// DecodeDocs decodes docs into new Ts; what names them in the error.
func DecodeDocs[T any](what string, docs [][]byte) ([]*T, error) {
	out := make([]*T, len(docs))
	for i, d := range docs {
		out[i] = new(T)
		if err := json.Unmarshal(d, out[i]); err != nil {
			return nil, fmt.Errorf("%s: decode: %w", what, err)
		}
	}
	return out, nil
}
