package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

// testConfig is a service's own configuration as the skeleton sees it.
type testConfig struct {
	Replicas int
	Bad      bool
}

// testDefinition is a service with one route, built by build; prepared is what its Prepare
// derives from the configuration.
func testDefinition(build func(ctx context.Context, cfg testConfig, prepared string, p Parts) (Wiring, error)) Definition[testConfig, string] {
	return Definition[testConfig, string]{
		Name:         "svc",
		EnvPrefix:    "ZONEOPS_SVC_",
		Stream:       natsx.StreamSpec{Name: "SVC", Subjects: []string{"zoneops.svc.>"}},
		Replicas:     func(c testConfig) int { return c.Replicas },
		Consumes:     natsx.Permissions{Subscribe: []string{"other.deliver"}},
		AlsoDeclares: []string{"EXTRA"},
		MaxBodyBytes: 1 << 10,
		Prepare: func(c testConfig) (string, error) {
			if c.Bad {
				return "", errors.New("bad setting")
			}
			return "prepared", nil
		},
		Build: build,
	}
}

// okRoute is a Wiring's one route: it answers 204 to a caller with a token.
var okRoute = []httpx.Route{httpx.Op("POST /v1/things", httpx.PathID, func(_ context.Context, w http.ResponseWriter, _ any) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}, func(context.Context, string) (any, error) { return nil, nil }).WithIdempotencyKey()}

// testSecret signs the tokens testDeps' verifier accepts.
var testSecret = []byte(strings.Repeat("k", auth.MinSecretLen))

// testDeps are a database of dialect, a JetStream and a verifier.
func testDeps(t *testing.T, dialect db.Dialect) (Deps, jetstream.JetStream) {
	t.Helper()
	_, js := natsxtest.Connect(t, natsxtest.Start(t))
	v, err := auth.NewHS256(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{DB: dbtest.Open(t, dialect), JS: js, Verifier: v, Logger: discard()}, js
}

// run runs w until the test ends and fails the test if Run fails.
func run(t *testing.T, w *Wired) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func TestNewRefusesAServiceWithoutItsDependencies(t *testing.T) {
	full, _ := testDeps(t, db.SQLite)
	for _, tc := range []struct {
		name string
		drop func(*Deps)
	}{
		{"no database", func(d *Deps) { d.DB = nil }},
		{"no JetStream", func(d *Deps) { d.JS = nil }},
		{"no verifier", func(d *Deps) { d.Verifier = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := full
			tc.drop(&d)
			def := testDefinition(func(context.Context, testConfig, string, Parts) (Wiring, error) {
				t.Error("Build ran without its dependencies")
				return Wiring{}, nil
			})
			if _, err := def.New(context.Background(), testConfig{}, d); err == nil || !strings.Contains(err.Error(), "svc: DB, JS and Verifier are required") {
				t.Fatalf("New = %v, want the missing dependencies named", err)
			}
		})
	}
}

func TestABadConfigurationIsRefusedBeforeAnythingIsMigratedOrDeclared(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d, js := testDeps(t, dialect)
			def := testDefinition(func(context.Context, testConfig, string, Parts) (Wiring, error) {
				t.Error("Build ran on a bad configuration")
				return Wiring{}, nil
			})
			ctx := context.Background()
			if _, err := def.New(ctx, testConfig{Bad: true}, d); err == nil || err.Error() != "bad setting" {
				t.Fatalf("New = %v, want Prepare's error", err)
			}
			if _, err := d.DB.ExecContext(ctx, `SELECT 1 FROM outbox`); err == nil {
				t.Error("the outbox table exists: the database was migrated")
			}
			if _, err := js.Stream(ctx, "SVC"); !errors.Is(err, jetstream.ErrStreamNotFound) {
				t.Errorf("stream SVC: %v, want not found", err)
			}
		})
	}
}

func TestNewMigratesDeclaresTheStreamAndMountsTheServicesRoutes(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d, js := testDeps(t, dialect)
			var got struct {
				prepared string
				parts    Parts
			}
			def := testDefinition(func(_ context.Context, _ testConfig, prepared string, p Parts) (Wiring, error) {
				got.prepared, got.parts = prepared, p
				return Wiring{Routes: okRoute}, nil
			})
			d.Registry, d.Now = nil, nil // the skeleton fills them in
			ctx := context.Background()
			w, err := def.New(ctx, testConfig{Replicas: 1}, d)
			if err != nil {
				t.Fatal(err)
			}
			run(t, w)
			if got.prepared != "prepared" {
				t.Errorf("Build got %q, want what Prepare derived", got.prepared)
			}
			if got.parts.Notify == nil || got.parts.Registry == nil || got.parts.Now == nil || got.parts.DB != d.DB {
				t.Errorf("Build got parts %+v, want the relay's Notify, a registry, a clock and the database", got.parts)
			}
			for _, table := range []string{"outbox", "idempotency_keys"} {
				if _, err := d.DB.ExecContext(ctx, `SELECT 1 FROM `+table); err != nil {
					t.Errorf("table %s: %v", table, err)
				}
			}
			s, err := js.Stream(ctx, "SVC")
			if err != nil {
				t.Fatalf("stream SVC: %v", err)
			}
			if info := s.CachedInfo(); !slices.Equal(info.Config.Subjects, []string{"zoneops.svc.>"}) || info.Config.Replicas != 1 {
				t.Errorf("stream SVC subjects %v replicas %d, want zoneops.svc.> and 1", info.Config.Subjects, info.Config.Replicas)
			}
			mux := http.NewServeMux()
			w.Register(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/things", strings.NewReader(`{}`)))
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("POST /v1/things without a token = %d, want 401: the skeleton authenticates every route", rec.Code)
			}
			tok, err := auth.Mint(testSecret, auth.Principal{Subject: "s", Role: auth.Operator}, time.Hour, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, "/v1/things", strings.NewReader(`{}`))
			req.Header.Set("Authorization", "Bearer "+tok)
			rec = httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != http.StatusNoContent {
				t.Errorf("POST /v1/things = %d, want the service's 204", rec.Code)
			}
		})
	}
}

func TestTheBeatRunsTheHousekeepingAtStartAndOnEveryTick(t *testing.T) {
	d, _ := testDeps(t, db.SQLite)
	var beats atomic.Int64
	def := testDefinition(func(context.Context, testConfig, string, Parts) (Wiring, error) {
		return Wiring{Routes: okRoute, Beat: Beat{Every: time.Hour, Work: func(context.Context) { beats.Add(1) }}}, nil
	})
	ticks := make(chan time.Time)
	w, err := def.New(context.Background(), testConfig{}, d, WithTicks(ticks))
	if err != nil {
		t.Fatal(err)
	}
	run(t, w)
	// ticks is unbuffered: a send returns once the run before it has finished.
	for i := 1; i <= 2; i++ {
		ticks <- time.Now()
		if n := beats.Load(); n < int64(i) {
			t.Fatalf("after %d ticks the housekeeping ran %d times, want at least %d", i, n, i)
		}
	}
}

func TestRunStopsEverythingWhenARunnerFails(t *testing.T) {
	d, _ := testDeps(t, db.SQLite)
	boom := errors.New("boom")
	def := testDefinition(func(context.Context, testConfig, string, Parts) (Wiring, error) {
		return Wiring{Routes: okRoute, Runners: []func(context.Context) error{
			func(context.Context) error { return boom },
		}}, nil
	})
	w, err := def.New(context.Background(), testConfig{}, d)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background()) }()
	select {
	case err := <-done:
		if !errors.Is(err, boom) {
			t.Fatalf("Run = %v, want the runner's error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run went on after a runner failed")
	}
}

func TestABuildWithoutRoutesIsRefused(t *testing.T) {
	d, _ := testDeps(t, db.SQLite)
	def := testDefinition(func(context.Context, testConfig, string, Parts) (Wiring, error) { return Wiring{}, nil })
	if _, err := def.New(context.Background(), testConfig{}, d); err == nil || !strings.Contains(err.Error(), "no routes") {
		t.Fatalf("New = %v, want a refusal of a service without routes", err)
	}
}

func TestTheServicesNATSUserMayPublishOnlyIntoItsOwnStreamAndDeclareOnlyItsStreams(t *testing.T) {
	def := testDefinition(nil)
	for _, tc := range []struct {
		name          string
		perms         natsx.Permissions
		publish, subs []string
		notPublish    []string
	}{
		{"runtime", def.NATSPermissions(), []string{"zoneops.svc.>", "$JS.API.STREAM.INFO.SVC"}, []string{"other.deliver"},
			[]string{"$JS.API.STREAM.CREATE.SVC", "$JS.API.STREAM.CREATE.EXTRA"}},
		{"declaring", def.NATSStreamPermissions(), []string{"$JS.API.STREAM.CREATE.SVC", "$JS.API.STREAM.UPDATE.EXTRA"}, nil,
			[]string{"zoneops.svc.>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.publish {
				if !slices.Contains(tc.perms.Publish, s) {
					t.Errorf("publish %v lacks %s", tc.perms.Publish, s)
				}
			}
			for _, s := range tc.subs {
				if !slices.Contains(tc.perms.Subscribe, s) {
					t.Errorf("subscribe %v lacks %s", tc.perms.Subscribe, s)
				}
			}
			for _, s := range tc.notPublish {
				if slices.Contains(tc.perms.Publish, s) {
					t.Errorf("publish %v has %s", tc.perms.Publish, s)
				}
			}
		})
	}
}

func TestAllMigrationsPutTheSharedTablesBeforeTheServicesOwn(t *testing.T) {
	own := db.Migrations{Name: "own"}
	def := Definition[testConfig, string]{Migrations: []db.Migrations{own}}
	got := def.AllMigrations()
	if len(got) != 3 || got[2].Name != "own" {
		t.Fatalf("AllMigrations = %d sets ending %v, want the outbox's, the idempotency store's, then the service's", len(got), got[len(got)-1].Name)
	}
}

func TestProgramReadsTheAddressAndTheServicesSettingsFromItsProcessConfiguration(t *testing.T) {
	type process struct {
		HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:0"`
		Settings testConfig
	}
	def := testDefinition(nil)
	def.Process = func() any { return &process{} }
	p := def.Program("test")
	pc, ok := p.Config.(*process)
	if !ok {
		t.Fatalf("Program.Config is %T, want what Process made", p.Config)
	}
	pc.Settings.Bad = true
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "config: bad setting") {
		t.Errorf("Validate = %v, want Prepare's refusal of the loaded settings", err)
	}
	if other := def.Program("test"); other.Config == p.Config {
		t.Error("two programs share one configuration")
	}
}

func TestProgramRefusesAProcessConfigurationWithoutAnAddressOrSettings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		process func() any
	}{
		{"not a pointer", func() any { return struct{}{} }},
		{"no address", func() any { return &struct{ Settings testConfig }{} }},
		{"no settings", func() any {
			return &struct {
				HTTPAddr string `env:"HTTP_ADDR"`
			}{}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := testDefinition(nil)
			def.Process = tc.process
			defer func() {
				if recover() == nil {
					t.Error("Program accepted the process configuration")
				}
			}()
			def.Program("test")
		})
	}
}
