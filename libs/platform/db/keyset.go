package db

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Lists are keyset-paginated: ordered by a key column and the id, with an opaque cursor naming
// the last row of the page, so a page never skips or repeats a row when rows are added
// meanwhile.

// DefaultLimit and MaxLimit bound a page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// LimitOf is the page size for a requested n: DefaultLimit for none, at most MaxLimit.
func LimitOf(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// ErrBadCursor means a list cursor was not one this service gave out.
var ErrBadCursor = fault.Invalid("cursor", "is not a cursor this service returned")

// TimeKey formats an instant with fixed width so that text order is time order on both
// dialects.
func TimeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// Storable reports whether s can be a key in the database: PostgreSQL refuses text with a NUL
// or invalid UTF-8, and an id like that was never handed out, so it names nothing.
func Storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// ForUpdate is the suffix that locks the rows a SELECT reads on PostgreSQL; SQLite's write
// transaction (BEGIN IMMEDIATE) already excludes every other writer.
func ForUpdate(d Dialect) string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// Bind adapts '?' placeholders to the dialect.
func Bind(d Dialect, q string) string {
	if d == Postgres {
		return sqlx.Rebind(sqlx.DOLLAR, q)
	}
	return q
}

// Where builds a WHERE clause from conditions that each hold their own '?' placeholders. The
// zero value is an empty clause.
type Where struct {
	conds []string
	args  []any
}

// Add appends a condition and its arguments.
func (w *Where) Add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// Eq adds "col = v" for a non-empty v, matching nothing when v cannot be stored (no row holds
// it).
func (w *Where) Eq(col, v string) {
	switch {
	case v == "":
	case !Storable(v):
		w.Add("1 = 0")
	default:
		w.Add(col+" = ?", v)
	}
}

// In adds "col IN (…)" for a non-empty list. Values the database cannot hold are left out, and
// a list of nothing but those matches nothing.
func In[S ~string](w *Where, col string, vs []S) {
	if len(vs) == 0 {
		return
	}
	args := make([]any, 0, len(vs))
	for _, v := range vs {
		if Storable(string(v)) {
			args = append(args, string(v))
		}
	}
	if len(args) == 0 {
		w.Add("1 = 0")
		return
	}
	w.Add(col+" IN ("+Placeholders(len(args))+")", args...)
}

// SQL is the clause with a leading " WHERE ", or "" when there are no conditions.
func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Args are the arguments of the conditions, in order.
func (w *Where) Args() []any { return w.args }

// Cursor is an opaque position in a list ordered by (key, id).
type Cursor struct{ Key, ID string }

// Encode is the cursor as handed to clients. The encoding is part of the API: cursors issued
// earlier must keep decoding.
func (c Cursor) Encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Key + "|" + c.ID))
}

// DecodeCursor reads a cursor from Encode; "" is the first page (nil). Anything else is
// ErrBadCursor.
func DecodeCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	key, id, ok := strings.Cut(string(b), "|")
	if !ok || key == "" || id == "" || !Storable(key) || !Storable(id) {
		return nil, ErrBadCursor
	}
	return &Cursor{Key: key, ID: id}, nil
}

// Keyset reads one page of the doc column of table, rows matching w ordered by (key, id) after
// the cursor after, and returns the docs and the cursor of the next page ("" at the end). Table
// and key are the caller's constants, never input; table needs id, key and doc columns.
func (d *DB) Keyset(ctx context.Context, table, key string, w Where, after string, limit int) ([][]byte, string, error) {
	c, err := DecodeCursor(after)
	if err != nil {
		return nil, "", err
	}
	// w is the caller's value; adding to shared slices could write into arrays it still uses.
	w = Where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
	if c != nil {
		w.Add("("+key+" > ? OR ("+key+" = ? AND id > ?))", c.Key, c.Key, c.ID)
	}
	n := LimitOf(limit)
	q := "SELECT id, " + key + " AS k, doc FROM " + table + w.SQL() + " ORDER BY " + key + ", id LIMIT ?"
	type row struct {
		ID  string `db:"id"`
		K   string `db:"k"`
		Doc []byte `db:"doc"`
	}
	var got []row
	if err := d.Reader().SelectContext(ctx, &got, d.Rebind(q), append(w.args, n+1)...); err != nil {
		return nil, "", err
	}
	next := ""
	if len(got) > n {
		got = got[:n]
		last := got[n-1]
		next = Cursor{Key: last.K, ID: last.ID}.Encode()
	}
	docs := make([][]byte, len(got))
	for i, r := range got {
		docs[i] = r.Doc
	}
	return docs, next, nil
}
