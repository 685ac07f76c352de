package db_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// item is the record the doc-table tests store.
type item struct {
	ID  string `json:"id"`
	Tag string `json:"tag"`
}

// docTable opens a database of every dialect with a table "items" (id, k, tag, doc) holding
// rows, given as id → key; every doc is {"id":…,"tag":"t-"+id}, and tag is "odd" or "even" by
// insertion order.
func docTable(t *testing.T, rows [][2]string, fn func(t *testing.T, d *db.DB)) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `CREATE TABLE items (id TEXT PRIMARY KEY, k TEXT NOT NULL, tag TEXT NOT NULL, doc TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			tag := []string{"even", "odd"}[i%2]
			doc := `{"id":"` + r[0] + `","tag":"t-` + r[0] + `"}`
			if _, err := d.ExecContext(ctx, d.Rebind(`INSERT INTO items (id, k, tag, doc) VALUES (?, ?, ?, ?)`), r[0], r[1], tag, doc); err != nil {
				t.Fatal(err)
			}
		}
		fn(t, d)
	})
}

func TestLimitOfDefaultsAndCapsThePageSize(t *testing.T) {
	for _, c := range []struct{ in, want int }{
		{-1, db.DefaultLimit}, {0, db.DefaultLimit}, {1, 1}, {db.MaxLimit, db.MaxLimit}, {db.MaxLimit + 1, db.MaxLimit},
	} {
		if got := db.LimitOf(c.in); got != c.want {
			t.Errorf("LimitOf(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestTimeKeyTextOrderIsTimeOrder(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	times := []time.Time{
		base,
		base.Add(time.Nanosecond),
		base.Add(time.Second),
		base.In(time.FixedZone("east", 5*3600)).Add(time.Minute), // zones do not change the order
		base.Add(time.Hour),
	}
	for i := 1; i < len(times); i++ {
		a, b := db.TimeKey(times[i-1]), db.TimeKey(times[i])
		if len(a) != len(b) || a >= b {
			t.Errorf("TimeKey(%v) = %q is not before TimeKey(%v) = %q at the same width", times[i-1], a, times[i], b)
		}
	}
	if got, want := db.TimeKey(base.Add(6)), "2026-01-02T03:04:05.000000006Z"; got != want {
		t.Errorf("TimeKey = %q, want %q", got, want)
	}
}

func TestStorableRefusesWhatPostgreSQLCannotHold(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", true}, {"zone-1", true}, {"zoné", true}, {"a\x00b", false}, {"\xff", false},
	} {
		if got := db.Storable(c.s); got != c.want {
			t.Errorf("Storable(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestForUpdateAndBindFollowTheDialect(t *testing.T) {
	for _, c := range []struct {
		d           db.Dialect
		lock, bound string
	}{
		{db.SQLite, "", "a = ? AND b = ?"},
		{db.Postgres, " FOR UPDATE", "a = $1 AND b = $2"},
	} {
		if got := db.ForUpdate(c.d); got != c.lock {
			t.Errorf("ForUpdate(%s) = %q, want %q", c.d, got, c.lock)
		}
		if got := db.Bind(c.d, "a = ? AND b = ?"); got != c.bound {
			t.Errorf("Bind(%s) = %q, want %q", c.d, got, c.bound)
		}
	}
}

func TestWhereJoinsConditionsAndSkipsWhatMatchesNothing(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(w *db.Where)
		sql   string
		args  []any
	}{
		{"empty", func(*db.Where) {}, "", nil},
		{"empty values add nothing", func(w *db.Where) { w.Eq("a", ""); db.In[string](w, "b", nil) },
			"", nil},
		{"conditions in order", func(w *db.Where) { w.Eq("a", "x"); db.In(w, "b", []string{"y", "z"}); w.Add("c > ?", 3) },
			" WHERE a = ? AND b IN (?,?) AND c > ?", []any{"x", "y", "z", 3}},
		{"an unstorable value matches nothing", func(w *db.Where) { w.Eq("a", "x\x00") },
			" WHERE 1 = 0", nil},
		{"unstorable values are left out of a list", func(w *db.Where) { db.In(w, "b", []string{"\xff", "y"}) },
			" WHERE b IN (?)", []any{"y"}},
		{"a list of only unstorable values matches nothing", func(w *db.Where) { db.In(w, "b", []string{"\xff"}) },
			" WHERE 1 = 0", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var w db.Where
			c.build(&w)
			if got := w.SQL(); got != c.sql {
				t.Errorf("SQL = %q, want %q", got, c.sql)
			}
			if got := w.Args(); !slices.Equal(got, c.args) {
				t.Errorf("Args = %v, want %v", got, c.args)
			}
		})
	}
}

// TestCursorEncodingIsStable: cursors are on the wire, so one issued before must still decode
// to the same position.
func TestCursorEncodingIsStable(t *testing.T) {
	const issued = "MjAyNi0wMS0wMlQwMzowNDowNS4wMDAwMDAwMDZafHotMQ"
	c := db.Cursor{Key: "2026-01-02T03:04:05.000000006Z", ID: "z-1"}
	if got := c.Encode(); got != issued {
		t.Errorf("Encode = %q, want %q", got, issued)
	}
	got, err := db.DecodeCursor(issued)
	if err != nil || got == nil || *got != c {
		t.Errorf("DecodeCursor(%q) = %v, %v; want %v", issued, got, err, c)
	}
	if got, err := db.DecodeCursor(""); got != nil || err != nil {
		t.Errorf(`DecodeCursor("") = %v, %v; want the first page`, got, err)
	}
}

func TestDecodeCursorRefusesCursorsNobodyIssued(t *testing.T) {
	for _, s := range []string{
		"not base64!",
		db.Cursor{Key: "k"}.Encode(),              // no id
		db.Cursor{ID: "i"}.Encode(),               // no key
		"bm9waXBl",                                // "nopipe"
		db.Cursor{Key: "k\x00", ID: "i"}.Encode(), // unstorable
		db.Cursor{Key: "k", ID: "\xff"}.Encode(),
	} {
		c, err := db.DecodeCursor(s)
		if !errors.Is(err, db.ErrBadCursor) || c != nil {
			t.Errorf("DecodeCursor(%q) = %v, %v; want ErrBadCursor", s, c, err)
		}
		var v *fault.ValidationError
		if !errors.As(err, &v) {
			t.Errorf("DecodeCursor(%q): %v is not a validation error", s, err)
		}
	}
}

// TestKeysetPagesVisitEveryRowOnceInKeyThenIDOrder: walking the pages, with ties on the key,
// returns each matching row once, ordered by (key, id), and the last page has no next cursor.
func TestKeysetPagesVisitEveryRowOnceInKeyThenIDOrder(t *testing.T) {
	rows := [][2]string{{"e", "2"}, {"b", "1"}, {"a", "2"}, {"d", "1"}, {"c", "3"}, {"f", "1"}}
	docTable(t, rows, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		even := db.Where{}
		even.Eq("tag", "even")
		for _, c := range []struct {
			name  string
			where db.Where
			limit int
			want  []string
			pages int
		}{
			{"all, two a page", db.Where{}, 2, []string{"b", "d", "f", "a", "e", "c"}, 3},
			{"all, one page", db.Where{}, 0, []string{"b", "d", "f", "a", "e", "c"}, 1},
			{"all, a last page exactly full", db.Where{}, 3, []string{"b", "d", "f", "a", "e", "c"}, 2},
			{"filtered", even, 1, []string{"a", "e", "c"}, 3},
		} {
			t.Run(c.name, func(t *testing.T) {
				var got []string
				pages, after := 0, ""
				for {
					docs, next, err := d.Keyset(ctx, "items", "k", c.where, after, c.limit)
					if err != nil {
						t.Fatal(err)
					}
					items, err := db.DecodeDocs[item]("items", docs)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range items {
						got = append(got, it.ID)
					}
					pages++
					if next == "" {
						break
					}
					if pages > len(rows) {
						t.Fatalf("more pages than rows: %v", got)
					}
					after = next
				}
				if !slices.Equal(got, c.want) || pages != c.pages {
					t.Errorf("got %v in %d pages, want %v in %d", got, pages, c.want, c.pages)
				}
			})
		}
	})
}

func TestKeysetRefusesABadCursorAndMatchesNothingForUnstorableFilters(t *testing.T) {
	docTable(t, [][2]string{{"a", "1"}}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, _, err := d.Keyset(ctx, "items", "k", db.Where{}, "!!", 10); !errors.Is(err, db.ErrBadCursor) {
			t.Errorf("bad cursor: %v, want ErrBadCursor", err)
		}
		var w db.Where
		w.Eq("tag", "odd\x00")
		docs, next, err := d.Keyset(ctx, "items", "k", w, "", 10)
		if err != nil || len(docs) != 0 || next != "" {
			t.Errorf("unstorable filter: %d docs, next %q, %v; want none", len(docs), next, err)
		}
	})
}

func TestGetDocReadsOneRecordOrNotFound(t *testing.T) {
	docTable(t, [][2]string{{"a", "1"}, {"b", "2"}}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, lock := range []bool{false, true} {
			err := d.InTx(ctx, func(tx *sqlx.Tx) error {
				got, err := db.GetDoc[item](ctx, tx, d.Dialect, "items", "item", "b", lock)
				if err != nil {
					return err
				}
				if *got != (item{ID: "b", Tag: "t-b"}) {
					t.Errorf("lock %v: got %+v", lock, got)
				}
				return nil
			})
			if err != nil {
				t.Errorf("lock %v: %v", lock, err)
			}
		}
		for _, id := range []string{"zz", "", "a\x00", "\xff"} {
			got, err := db.GetDoc[item](ctx, d.Reader(), d.Dialect, "items", "item", id, false)
			if !errors.Is(err, fault.ErrNotFound) || got != nil {
				t.Errorf("GetDoc(%q) = %v, %v; want not found", id, got, err)
			}
		}
	})
}

func TestDecodeDocsNamesWhatFailedToDecode(t *testing.T) {
	got, err := db.DecodeDocs[item]("items", [][]byte{[]byte(`{"id":"a"}`), []byte(`{`)})
	if err == nil || got != nil {
		t.Fatalf("DecodeDocs = %v, %v; want an error", got, err)
	}
	if want := "items: decode: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
}
