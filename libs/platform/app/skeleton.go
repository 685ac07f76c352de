package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// Definition is a service as data: everything the skeleton needs to wire it the same way as
// every other service (migrations, its stream, the outbox relay on a pool of its own, the
// idempotency store, the housekeeping beat, its NATS user, its unit and its binary). C is the
// service's own configuration and P what Prepare derives from it (its policy, say); Build makes
// what is the service's own from both.
type Definition[C, P any] struct {
	// Name names the service in logs, metrics, its database and its NATS user.
	Name string
	// EnvPrefix prefixes the service's own variables.
	EnvPrefix string
	// Stream is the stream the service publishes its events into (Name and Subjects; the
	// replicas come from Replicas).
	Stream natsx.StreamSpec
	// Replicas reads the stream's replica count from the configuration (nil: the server's
	// default).
	Replicas func(C) int
	// Migrations are the service's own table sets; the outbox's and the idempotency store's
	// come first (see AllMigrations).
	Migrations []db.Migrations
	// Consumes is what the service needs on NATS beyond publishing into Stream: its durable
	// consumers of other streams, say.
	Consumes natsx.Permissions
	// AlsoDeclares names the streams the service declares beside Stream (a dead-letter
	// stream, say).
	AlsoDeclares []string
	// MaxBodyBytes bounds the request bodies the idempotency middleware reads, as the
	// service's transport does.
	MaxBodyBytes int64
	// Prepare checks the configuration before anything is touched (nothing is migrated or
	// declared for a configuration that makes no sense) and derives what Build needs from it;
	// nil passes Build the zero P.
	Prepare func(C) (P, error)
	// Process makes a process configuration to load, for Program: a pointer to a struct with
	// env tags that has a string field tagged HTTP_ADDR and a field of type C (embedded, say).
	Process func() any
	// Build makes the service's own parts (store, use cases, routes, gauges, consumers) from
	// its configuration, what Prepare derived and what the skeleton made. It runs after the
	// migrations, with the stream declared.
	Build func(ctx context.Context, cfg C, prepared P, p Parts) (Wiring, error)
}

// Parts are what the skeleton gives a service's Build: its dependencies, defaults filled in,
// and the relay's wake-up.
type Parts struct {
	Deps
	// Notify wakes the outbox relay; the store calls it after a commit that wrote events, so
	// they leave at once rather than at the relay's next poll.
	Notify func()
}

// Wiring is what a service's Build returns: its routes, its background work and its
// housekeeping.
type Wiring struct {
	// Routes are the service's /v1 routes, one row per use case (its transport.Routes): the
	// skeleton serves each through go-kit with authentication in front, and the rows marked
	// WithIdempotencyKey behind the Idempotency-Key store.
	Routes []httpx.Route
	// Runners run beside the relay until their context ends (consumers, say); one failing
	// stops the service.
	Runners []func(context.Context) error
	// Beat is the service's housekeeping; the skeleton purges old idempotency keys on it too.
	Beat Beat
}

// Beat is a service's housekeeping beat: Work runs at start and then every Every.
type Beat struct {
	// Every is the interval; zero or less means DefaultBeat.
	Every time.Duration
	// Work is the service's own housekeeping (nil: none); it logs its own failures, since a
	// failed beat is retried at the next one rather than stopping the service.
	Work func(context.Context)
}

// DefaultBeat is the housekeeping interval when a service's Beat has none.
const DefaultBeat = time.Hour

// Wired is a service wired by the skeleton, ready for a process to Register and Run.
type Wired struct {
	name     string
	relay    *outbox.Relay
	relayDB  *db.DB // the relay's own pool (see Definition.New)
	idem     *idempotency.Store
	create   func(http.Handler) http.Handler
	verifier auth.Verifier
	wiring   Wiring
	logger   *slog.Logger
	ticks    <-chan time.Time // drives the beat when set, instead of Beat.Every
}

// Option changes how Definition.New wires a service.
type Option func(*Wired)

// WithTicks makes the housekeeping beat run at each value from ticks instead of every
// Beat.Every: a test sends on ticks to make the beat happen now, on the service's clock. It
// still runs once at start.
func WithTicks(ticks <-chan time.Time) Option { return func(w *Wired) { w.ticks = ticks } }

// AllMigrations are every table set the service's database needs: the outbox's, the
// idempotency store's and the service's own.
func (def Definition[C, P]) AllMigrations() []db.Migrations {
	return append([]db.Migrations{outbox.Migrations, idempotency.Migrations}, def.Migrations...)
}

// NATSPermissions are the subjects the service may use on NATS once its streams exist: to
// publish into its own stream, and what Consumes adds.
func (def Definition[C, P]) NATSPermissions() natsx.Permissions {
	return natsx.Producer(def.Stream.Name, def.Stream.Subjects...).Merge(def.Consumes)
}

// NATSStreamPermissions are what declaring the service's streams needs on top: on the
// embedded server the service has them; in production an operator's user does (see
// natsx.StreamOwner for why).
func (def Definition[C, P]) NATSStreamPermissions() natsx.Permissions {
	return natsx.StreamOwner(append([]string{def.Stream.Name}, def.AlsoDeclares...)...)
}

// Check refuses a configuration that parses but makes no sense: what Prepare refuses. A
// process checks as it loads its configuration, before it starts anything.
func (def Definition[C, P]) Check(cfg C) error {
	if def.Prepare == nil {
		return nil
	}
	_, err := def.Prepare(cfg)
	return err
}

// New migrates the database, declares the service's stream and wires the service: the relay,
// the idempotency store and what Build makes.
func (def Definition[C, P]) New(ctx context.Context, cfg C, d Deps, opts ...Option) (*Wired, error) {
	if d.DB == nil || d.JS == nil || d.Verifier == nil {
		return nil, fmt.Errorf("%s: DB, JS and Verifier are required", def.Name)
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	var prepared P
	if def.Prepare != nil {
		var err error
		if prepared, err = def.Prepare(cfg); err != nil {
			return nil, err
		}
	}
	// The advisory lock db.Migrate takes on PostgreSQL lets replicas start side by side.
	if err := d.DB.Migrate(ctx, def.AllMigrations()...); err != nil {
		return nil, fmt.Errorf("%s: %w", def.Name, err)
	}
	spec := def.Stream
	if def.Replicas != nil {
		spec.Replicas = def.Replicas(cfg)
	}
	if _, err := natsx.EnsureStream(ctx, d.JS, spec); err != nil {
		return nil, fmt.Errorf("%s: %w", def.Name, err)
	}
	// The relay gets a pool of its own on PostgreSQL, so it neither holds a connection that
	// requests queue for nor waits behind a burst of them; Run closes it.
	relayDB, err := d.DB.Sibling(ctx, 2)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", def.Name, err)
	}
	relay := outbox.NewRelay(relayDB, d.JS, outbox.Options{Logger: d.Logger, Registerer: d.Registry, Name: def.Name})
	wiring, err := def.Build(ctx, cfg, prepared, Parts{Deps: d, Notify: relay.Notify})
	if err != nil {
		relayDB.Close()
		return nil, fmt.Errorf("%s: %w", def.Name, err)
	}
	if wiring.Routes == nil {
		relayDB.Close()
		return nil, errors.New(def.Name + ": Build returned no routes")
	}
	if wiring.Beat.Every <= 0 {
		wiring.Beat.Every = DefaultBeat // time.NewTicker panics on zero
	}
	idem := idempotency.NewStore(d.DB, idempotency.StoreOptions{Now: d.Now})
	w := &Wired{
		name: def.Name, relay: relay, relayDB: relayDB, idem: idem, wiring: wiring, logger: d.Logger, verifier: d.Verifier,
		create: idempotency.Middleware(idem, idempotency.Config{
			Principal: auth.PrincipalKeyFunc(d.Verifier), MaxBodyBytes: def.MaxBodyBytes, Logger: d.Logger,
		}),
	}
	for _, o := range opts {
		o(w)
	}
	return w, nil
}

// Register mounts the service's /v1 routes on mux; the process adds health, metrics and
// middleware.
func (w *Wired) Register(mux *http.ServeMux) {
	auth.Mount(mux, w.wiring.Routes, w.verifier, w.logger, w.create)
}

// Run relays events, runs the service's runners and its housekeeping beat until ctx ends or
// one of them fails, then closes the relay's pool.
func (w *Wired) Run(ctx context.Context) error {
	defer w.relayDB.Close()
	parts := append([]func(context.Context) error{w.relay.Run}, w.wiring.Runners...)
	return RunAll(ctx, append(parts, w.beat)...)
}

// beat runs the service's housekeeping and, on the same beat, drops idempotency keys past
// their retention (stored answers are kept for a day).
func (w *Wired) beat(ctx context.Context) error {
	return Repeat(ctx, w.wiring.Beat.Every, w.ticks, func(ctx context.Context) {
		if w.wiring.Beat.Work != nil {
			w.wiring.Beat.Work(ctx)
		}
		if _, err := w.idem.Purge(ctx); err != nil && ctx.Err() == nil {
			w.logger.ErrorContext(ctx, "purge idempotency keys", "err", err)
		}
	})
}

// NewUnit opens the service's database, wires the service with cfg and listens on addr, ready
// for RunUnits: the same for the service's own binary and the all-in-one process.
func (def Definition[C, P]) NewUnit(ctx context.Context, common Common, addr string, cfg C, n *NATS, logger *slog.Logger, version string) (Unit, error) {
	return OpenUnit(ctx, common, def.Name, addr, version, n, logger, func(ctx context.Context, d Deps) (Service, error) {
		return def.New(ctx, cfg, d)
	})
}

// Program is the service as a process runs it (its own binary, or the all-in-one process):
// each call has a configuration of its own, made by Process, to fill.
func (def Definition[C, P]) Program(version string) Program {
	if def.Process == nil {
		panic("app: Definition " + def.Name + " has no Process")
	}
	process := def.Process()
	addr, cfg := processFields[C](def.Name, process)
	return Program{
		Name: def.Name, EnvPrefix: def.EnvPrefix, Config: process,
		NATS:  def.NATSPermissions().Merge(def.NATSStreamPermissions()),
		Check: func() error { return def.Check(*cfg) },
		Open: func(ctx context.Context, common Common, n *NATS, logger *slog.Logger) (Unit, error) {
			return def.NewUnit(ctx, common, *addr, *cfg, n, logger, version)
		},
	}
}

// processFields finds the HTTP_ADDR field and the C field of a process configuration. A process
// configuration without them is a mistake in the service's definition, which its binary's first
// start shows, so it panics.
func processFields[C any](name string, process any) (*string, *C) {
	v := reflect.ValueOf(process)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("app: %s: Process returned %T, want a pointer to a struct", name, process))
	}
	v = v.Elem()
	var (
		addr *string
		cfg  *C
	)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		switch {
		case f.Tag.Get("env") == "HTTP_ADDR" && f.Type.Kind() == reflect.String:
			addr = v.Field(i).Addr().Interface().(*string)
		case f.Type == reflect.TypeFor[C]():
			cfg = v.Field(i).Addr().Interface().(*C)
		}
	}
	if addr == nil || cfg == nil {
		panic(fmt.Sprintf("app: %s: the process configuration %T needs a string field tagged env:\"HTTP_ADDR\" and a field of type %v",
			name, process, reflect.TypeFor[C]()))
	}
	return addr, cfg
}
