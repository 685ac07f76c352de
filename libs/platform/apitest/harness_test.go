package apitest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

var spec = apitest.NewSpec("testdata/openapi.yaml")

// The fake service publishes on stream THINGS; the tests play a producer on OTHERS.
const (
	thingsStream = "THINGS"
	othersStream = "OTHERS"
)

// fake is the smallest service the harness can run: it answers whoami with the verified
// caller, counts its beats in a table and on a gauge, and publishes nothing itself.
type fake struct {
	d     app.Deps
	ticks <-chan time.Time
	beats prometheus.Counter
	seen  atomic.Int64 // beats run, read by the test while Run goes on
}

func newFake(ctx context.Context, d app.Deps, ticks <-chan time.Time) (*fake, error) {
	if err := d.DB.Migrate(ctx, outbox.Migrations, idempotency.Migrations); err != nil {
		return nil, err
	}
	if _, err := d.DB.ExecContext(ctx, `CREATE TABLE beats (n INTEGER NOT NULL)`); err != nil {
		return nil, err
	}
	if _, err := natsx.EnsureStream(ctx, d.JS, natsx.StreamSpec{Name: thingsStream, Subjects: []string{"zoneops.things.>"}}); err != nil {
		return nil, err
	}
	f := &fake{d: d, ticks: ticks, beats: prometheus.NewCounter(prometheus.CounterOpts{Name: "fake_beats_total", Help: "Beats run."})}
	d.Registry.MustRegister(f.beats)
	return f, nil
}

func (f *fake) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/whoami", func(w http.ResponseWriter, r *http.Request) {
		p, err := f.d.Verifier.Verify(r.Context(), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if err != nil {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"status": 401}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"subject": p.Subject})
	})
}

func (f *fake) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-f.ticks:
			n := f.seen.Add(1)
			f.beats.Inc()
			if _, err := f.d.DB.ExecContext(ctx, f.d.DB.Rebind(`INSERT INTO beats (n) VALUES (?)`), n); err != nil {
				return err
			}
		}
	}
}

// start runs the fake on dialect; perms, when set, are its NATS permissions.
func start(t *testing.T, dialect db.Dialect, perms *natsx.Permissions) (*apitest.Env, **fake) {
	t.Helper()
	var svc *fake
	e := apitest.StartService(t, dialect, apitest.ServiceSpec{
		Name: "fake", Stream: thingsStream, Decode: decodeEnvelope, Spec: spec, Secret: []byte("harness-tests-0123456789abcdef0123"),
		Start: time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC), Permissions: perms,
		Streams: []natsx.StreamSpec{{Name: othersStream, Subjects: []string{"zoneops.others.>"}}},
		New: func(ctx context.Context, d app.Deps, ticks <-chan time.Time) (apitest.Service, error) {
			f, err := newFake(ctx, d, ticks)
			svc = f
			return f, err
		},
	})
	return e, &svc
}

// decodeEnvelope reads the envelope alone: the fake's events have no registered payloads.
func decodeEnvelope(data []byte) (envelope.Envelope, any, error) {
	env, err := envelope.Parse(data)
	return env, nil, err
}

func TestStartServiceServesTheServiceWithTokensOnTheTestsClock(t *testing.T) {
	apitest.ForEachDialect(t, func(t *testing.T, d db.Dialect) *apitest.Env { e, _ := start(t, d, nil); return e },
		func(t *testing.T, e *apitest.Env) {
			cast := apitest.NewCast("ISB", "LHR", "t-a", "t-b")
			got := apitest.Decode[map[string]string](t, e.Must(t, apitest.Request{Method: "GET", Path: "/v1/whoami", As: &cast.Viewer}, 200))
			if got["subject"] != cast.Viewer.Subject {
				t.Errorf("whoami = %v, want %s", got, cast.Viewer.Subject)
			}
			// A token minted an hour and more ago is refused: the verifier reads the test's clock.
			tok, err := e.Token(cast.Viewer)
			if err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(2 * time.Hour)
			r := e.Do(t, apitest.Request{Method: "GET", Path: "/v1/whoami", Header: http.Header{"Authorization": {"Bearer " + tok}}})
			apitest.CheckUnauthorized(t, r.Status, r.Header, r.Body)
			e.CheckProbes(t)
			if w := e.Written(t); w != (apitest.Written{}) {
				t.Errorf("a fresh service has written %+v, want nothing", w)
			}
		})
}

// Beat's two ticks each start a run; it returns once the first run is over.
func TestBeatReturnsOnceTheLoopHasRun(t *testing.T) {
	e, svc := start(t, db.SQLite, nil)
	e.Beat(t)
	if n := (*svc).seen.Load(); n < 1 {
		t.Errorf("%d runs when Beat returned, want at least one", n)
	}
	e.EventuallyRow(t, "both runs in the table", `SELECT count(*), max(n) FROM beats`, nil, int64(2), int64(2))
	apitest.CheckScrape(t, e.Scrape(t), "after one beat", map[string]string{"fake_beats_total": "2"})
}

func TestPublishedEventsAreReadBackInOrderWithTheirIDs(t *testing.T) {
	e, _ := start(t, db.SQLite, nil)
	var ids []string
	for v := int64(1); v <= 3; v++ {
		env, err := envelope.New("/zoneops/things", "zoneops.things.thing.changed.v1", "0195b3c0-0000-7000-8000-000000000001", v, e.Clock.Now(), map[string]int64{"v": v})
		if err != nil {
			t.Fatal(err)
		}
		e.Publish(t, env)
		ids = append(ids, env.ID)
	}
	evs := e.Events(t, 3)
	agg := apitest.ByAggregate(t, evs)
	var got []string
	for _, ev := range agg["0195b3c0-0000-7000-8000-000000000001"] {
		got = append(got, ev.Env.ID)
	}
	if !slices.Equal(got, ids) {
		t.Errorf("events %v, want %v in order", got, ids)
	}
	if n := e.Settled(t); n != 3 {
		t.Errorf("Settled = %d, want the 3 events on the stream", n)
	}
}

func TestWithPermissionsTheServiceLogsInAsItself(t *testing.T) {
	perms := natsx.Producer(thingsStream, "zoneops.things.>").Merge(natsx.StreamOwner(thingsStream))
	e, _ := start(t, db.SQLite, &perms)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := e.ServiceJS.Publish(ctx, "zoneops.things.thing.changed", []byte("{}")); err != nil {
		t.Errorf("the service could not publish on its own stream: %v", err)
	}
	// A refused publish gets no answer: bound the wait for it.
	refused, cancelRefused := context.WithTimeout(ctx, time.Second)
	defer cancelRefused()
	if _, err := e.ServiceJS.Publish(refused, "zoneops.others.thing.changed", []byte("{}")); err == nil {
		t.Error("the service published on another stream's subjects")
	}
	if _, err := e.JS.Publish(ctx, "zoneops.others.thing.changed", []byte("{}")); err != nil {
		t.Errorf("the test's own client could not publish: %v", err)
	}
}

// TestVersionedSeesAnUpdateThatRowsAloneWouldMiss: the fingerprint of a versioned table moves
// when a row's version does, though the count of rows stays.
func TestVersionedSeesAnUpdateThatRowsAloneWouldMiss(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		take := func() (f [3]int64) {
			apitest.Fingerprint(t, d, apitest.Rows("things", &f[0]), apitest.Versioned("things", &f[1], &f[2]))
			return f
		}
		d.MustExec(`CREATE TABLE things (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)`)
		d.MustExec(`INSERT INTO things (id, version) VALUES (1, 1), (2, 1)`)
		if got := take(); got != [3]int64{2, 2, 2} {
			t.Fatalf("fingerprint %v, want 2 rows and versions summing to 2", got)
		}
		d.MustExec(`UPDATE things SET version = 2 WHERE id = 1`)
		if got := take(); got != [3]int64{2, 2, 3} {
			t.Errorf("after an update: fingerprint %v, want the rows unchanged and the versions at 3", got)
		}
	})
}
