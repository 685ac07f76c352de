package idempotency_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
)

// fakeClock is a clock the test moves by hand, so lock timeouts and retention are tested
// without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newStore(d *db.DB, c *fakeClock) *idempotency.Store {
	return idempotency.NewStore(d, idempotency.StoreOptions{Now: c.Now, LockTimeout: time.Minute, Retention: time.Hour})
}

func TestStoreReserveDecidesByStateHashAndAge(t *testing.T) {
	answer := idempotency.Response{Status: 201, Header: http.Header{"Location": {"/v1/x/1"}}, Body: []byte(`{"id":"1"}`)}
	tests := []struct {
		name    string
		setup   func(t *testing.T, s *idempotency.Store, c *fakeClock) // leaves key "k" in some state
		hash    string
		want    idempotency.Outcome
		wantRes *idempotency.Response
	}{
		{"new key is reserved", func(*testing.T, *idempotency.Store, *fakeClock) {}, "h1", idempotency.Reserved, nil},
		{"held key is in progress", reserveOnly, "h1", idempotency.InProgress, nil},
		{"held key with another request is a mismatch", reserveOnly, "h2", idempotency.Mismatch, nil},
		{"answered key replays", reserveAndComplete(answer), "h1", idempotency.Replay, &answer},
		{"answered key with another request is a mismatch", reserveAndComplete(answer), "h2", idempotency.Mismatch, nil},
		{"released key is reserved again", func(t *testing.T, s *idempotency.Store, c *fakeClock) {
			res := reserve(t, s, "h1")
			if err := s.Release(context.Background(), "scope", "k", res.Token); err != nil {
				t.Fatal(err)
			}
		}, "h2", idempotency.Reserved, nil},
		{"stale reservation is taken over", func(t *testing.T, s *idempotency.Store, c *fakeClock) {
			reserveOnly(t, s, c)
			c.Advance(time.Minute)
		}, "h1", idempotency.Reserved, nil},
		{"reservation within lock timeout holds", func(t *testing.T, s *idempotency.Store, c *fakeClock) {
			reserveOnly(t, s, c)
			c.Advance(time.Minute - time.Millisecond)
		}, "h1", idempotency.InProgress, nil},
		{"answer past retention is forgotten", func(t *testing.T, s *idempotency.Store, c *fakeClock) {
			reserveAndComplete(answer)(t, s, c)
			c.Advance(time.Hour)
		}, "h2", idempotency.Reserved, nil},
		{"answer within retention replays", func(t *testing.T, s *idempotency.Store, c *fakeClock) {
			reserveAndComplete(answer)(t, s, c)
			c.Advance(59 * time.Minute)
		}, "h1", idempotency.Replay, &answer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
				c := newClock()
				s := newStore(d, c)
				tt.setup(t, s, c)
				got, err := s.Reserve(context.Background(), "scope", "k", tt.hash)
				if err != nil {
					t.Fatal(err)
				}
				if got.Outcome != tt.want {
					t.Fatalf("Reserve() = %v, want %v", got.Outcome, tt.want)
				}
				if tt.want == idempotency.Reserved && got.Token == "" {
					t.Errorf("reserved without a token")
				}
				if tt.wantRes != nil && !reflect.DeepEqual(got.Response, *tt.wantRes) {
					t.Errorf("response = %+v, want %+v", got.Response, *tt.wantRes)
				}
			}, idempotency.Migrations)
		})
	}
}

func reserve(t *testing.T, s *idempotency.Store, hash string) idempotency.Reservation {
	t.Helper()
	res, err := s.Reserve(context.Background(), "scope", "k", hash)
	if err != nil || res.Outcome != idempotency.Reserved {
		t.Fatalf("Reserve() = %+v, %v; want reserved", res, err)
	}
	return res
}

func reserveOnly(t *testing.T, s *idempotency.Store, _ *fakeClock) { reserve(t, s, "h1") }

func reserveAndComplete(resp idempotency.Response) func(*testing.T, *idempotency.Store, *fakeClock) {
	return func(t *testing.T, s *idempotency.Store, _ *fakeClock) {
		res := reserve(t, s, "h1")
		if err := s.Complete(context.Background(), "scope", "k", res.Token, resp); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStoreRefusesCompletionByAnOwnerWhoseLockWasTakenOver(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		s := newStore(d, c)
		first := reserve(t, s, "h1")
		c.Advance(2 * time.Minute)
		second := reserve(t, s, "h1")
		if err := s.Complete(ctx, "scope", "k", first.Token, idempotency.Response{Status: 201}); !errors.Is(err, idempotency.ErrLockLost) {
			t.Fatalf("Complete(stale token) = %v, want ErrLockLost", err)
		}
		if err := s.Release(ctx, "scope", "k", first.Token); !errors.Is(err, idempotency.ErrLockLost) {
			t.Fatalf("Release(stale token) = %v, want ErrLockLost", err)
		}
		if err := s.Complete(ctx, "scope", "k", second.Token, idempotency.Response{Status: 202}); err != nil {
			t.Fatalf("Complete(current token) = %v", err)
		}
		got, err := s.Reserve(ctx, "scope", "k", "h1")
		if err != nil || got.Outcome != idempotency.Replay || got.Response.Status != 202 {
			t.Fatalf("Reserve() = %+v, %v; want replay of the new owner's 202", got, err)
		}
	}, idempotency.Migrations)
}

func TestStoreKeysAreScoped(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newStore(d, newClock())
		for _, scope := range []string{"alice POST /v1/a", "bob POST /v1/a", "alice POST /v1/b"} {
			res, err := s.Reserve(context.Background(), scope, "same-key", "h")
			if err != nil || res.Outcome != idempotency.Reserved {
				t.Fatalf("Reserve(%s) = %+v, %v; want reserved", scope, res, err)
			}
		}
	}, idempotency.Migrations)
}

func TestPurgeDeletesOnlyKeysPastRetention(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		s := newStore(d, c)
		if _, err := s.Reserve(ctx, "s", "old", "h"); err != nil {
			t.Fatal(err)
		}
		c.Advance(30 * time.Minute)
		if _, err := s.Reserve(ctx, "s", "new", "h"); err != nil {
			t.Fatal(err)
		}
		c.Advance(30 * time.Minute)
		n, err := s.Purge(ctx)
		if err != nil || n != 1 {
			t.Fatalf("Purge() = %d, %v; want 1", n, err)
		}
		var left []string
		if err := d.SelectContext(ctx, &left, `SELECT idempotency_key FROM idempotency_keys`); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(left, []string{"new"}) {
			t.Fatalf("left = %v, want [new]", left)
		}
	}, idempotency.Migrations)
}
