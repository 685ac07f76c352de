// Command tenantsload measures how fast the tenants service takes writes through its HTTP API
// and sets that beside what the database itself can do, in one run:
//
//   - raw: c goroutines each inserting one row at a time (autocommit, the same pool the service
//     gets) into a scratch table as wide as an application: the database's single-row rate;
//   - api: c HTTP clients, each a tenant with its own registration number, creating draft
//     applications (POST /v1/applications, a signed token each call) against the real service,
//     wired as cmd/tenants wires it (app.RunUnits: middleware, metrics, the outbox relay
//     publishing to an embedded JetStream).
//
// for c in -clients (1, 8 and 32 by default), on SQLite and, with -postgres-dsn or
// ZONEOPS_TEST_POSTGRES_DSN, on PostgreSQL in a schema it creates and drops. It prints the
// rates, p50/p99 latencies and api/raw, each the median (min–max) of -runs runs on fresh
// databases. -cpuprofile writes a CPU profile of the whole run
// (service and clients share the process; PostgreSQL's own CPU is not in it).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/benchx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/metrics"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/tenants"
)

func main() { app.Exit("tenantsload", run(context.Background(), os.Args[1:], os.Stdout)) }

type config struct {
	clients     []int
	duration    time.Duration
	runs        int
	postgresDSN string
	sqlite      bool
	cpuProfile  string
}

func parse(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("tenantsload", flag.ContinueOnError)
	clients := fs.String("clients", "1,8,32", "comma-separated numbers of concurrent clients")
	fs.DurationVar(&cfg.duration, "duration", 3*time.Second, "how long each measurement runs")
	fs.IntVar(&cfg.runs, "runs", 3, "runs of every measurement, each on a fresh database; each figure is their median, with min and max")
	fs.StringVar(&cfg.postgresDSN, "postgres-dsn", os.Getenv("ZONEOPS_TEST_POSTGRES_DSN"), "PostgreSQL server to measure too (a schema is created and dropped); empty skips it")
	fs.BoolVar(&cfg.sqlite, "sqlite", true, "measure SQLite")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	for _, s := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-clients: %q is not a positive number", s)
		}
		cfg.clients = append(cfg.clients, n)
	}
	if cfg.runs < 1 {
		return cfg, errors.New("-runs must be at least 1")
	}
	if cfg.duration <= 0 {
		return cfg, errors.New("-duration must be positive")
	}
	if !cfg.sqlite && cfg.postgresDSN == "" {
		return cfg, errors.New("nothing to measure: -sqlite=false and no -postgres-dsn (or ZONEOPS_TEST_POSTGRES_DSN)")
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parse(args)
	if err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	type backend struct {
		dialect db.Dialect
		open    func(ctx context.Context, dir string) (*db.DB, func(), error)
	}
	var backends []backend
	if cfg.sqlite {
		backends = append(backends, backend{db.SQLite, func(ctx context.Context, dir string) (*db.DB, func(), error) {
			d, err := db.Open(ctx, db.Config{Driver: string(db.SQLite), DSN: filepath.Join(dir, "tenants.db")})
			return d, func() {}, err
		}})
	}
	if cfg.postgresDSN != "" {
		backends = append(backends, backend{db.Postgres, func(ctx context.Context, _ string) (*db.DB, func(), error) {
			return openSchema(ctx, cfg.postgresDSN, cfg.maxClients())
		}})
	}
	var runs [][][]result // backend, run, point
	for _, b := range backends {
		var br [][]result
		for range cfg.runs {
			r, err := measure(ctx, cfg, b.dialect, b.open)
			if err != nil {
				return fmt.Errorf("%s: %w", b.dialect, err)
			}
			br = append(br, r)
		}
		runs = append(runs, br)
	}
	return print(out, cfg, runs)
}

func (c config) maxClients() int { return slices.Max(c.clients) }

// openSchema opens a fresh schema on the server, with the pool the service would get
// (ZONEOPS_DB_MAX_CONNS, at least the clients), and a cleanup that drops it.
func openSchema(ctx context.Context, dsn string, clients int) (*db.DB, func(), error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	schema := "tenantsload_" + hex.EncodeToString(b[:])
	sdsn, err := app.SchemaDSN(ctx, dsn, schema)
	if err != nil {
		return nil, nil, err
	}
	d, err := db.Open(ctx, db.Config{Driver: string(db.Postgres), DSN: sdsn, MaxOpenConns: max(db.DefaultMaxConns, clients)})
	if err != nil {
		return nil, nil, err
	}
	drop := func() {
		admin, err := db.Open(context.Background(), db.Config{Driver: string(db.Postgres), DSN: dsn, MaxOpenConns: 1})
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	}
	return d, drop, nil
}

// result is one measurement.
type result struct {
	dialect  db.Dialect
	what     string // "raw" or "api"
	clients  int
	ops      int
	errors   int
	elapsed  time.Duration
	p50, p99 time.Duration
	cpu      time.Duration // this process's CPU time over the run (service and clients; not PostgreSQL's)
	dbCPU    time.Duration // the PostgreSQL backends' CPU time over the run, when readable
	dbCPUOK  bool
}

// perOp divides a total over the run by the successful operations.
func (r result) perOp(total time.Duration) time.Duration {
	if r.ops == 0 {
		return 0
	}
	return total / time.Duration(r.ops)
}

func (r result) rate() float64 { return float64(r.ops) / r.elapsed.Seconds() }

// secret signs the load's tokens; the service is in this process only.
var secret = []byte("tenantsload-secret-0123456789abcdef-not-for-use")

// measure runs every point against a fresh database of the dialect (open gets a scratch
// directory, also the embedded NATS store).
func measure(ctx context.Context, cfg config, dialect db.Dialect, open func(context.Context, string) (*db.DB, func(), error)) ([]result, error) {
	dataDir, err := os.MkdirTemp("", "tenantsload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dataDir)
	d, drop, err := open(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer drop()
	defer d.Close()
	if _, err := d.ExecContext(ctx, `CREATE TABLE raw_rows (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("raw table: %w", err)
	}

	// The service as cmd/tenants runs it: embedded NATS with the service's own user and
	// permissions, the unit served by app.RunUnits.
	logger := slog.New(slog.DiscardHandler)
	common := app.Common{DataDir: dataDir}
	perms := tenants.Definition().NATSPermissions().Merge(tenants.Definition().NATSStreamPermissions())
	srv, err := common.StartNATS(map[string]*natsx.Permissions{tenants.Name: &perms}, logger)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	n, err := srv.Connect(tenants.Name, logger)
	if err != nil {
		return nil, err
	}
	defer n.Close()
	v, err := auth.NewHS256(secret)
	if err != nil {
		return nil, err
	}
	reg := metrics.NewRegistry(tenants.Name, "load")
	svc, err := tenants.New(ctx, tenants.Config{DecisionDays: 30, LicenceTermYears: 10, TimeZone: "Asia/Karachi", ExpiryInterval: time.Hour, StreamReplicas: 1},
		tenants.Deps{DB: d, JS: n.JS, Verifier: v, Logger: logger, Registry: reg, Now: time.Now})
	if err != nil {
		return nil, err
	}
	l, err := app.Listen("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- app.RunUnits(sctx, app.Unit{Name: tenants.Name, Listener: l, Service: svc, DB: d, Registry: reg, Logger: logger, NATS: n})
	}()
	defer func() { stop(); <-served }()
	base := app.HTTPURL(l.Addr().String())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.maxClients() + 1}}

	doc := strings.Repeat("x", len(body(0)))
	var out []result
	for _, c := range cfg.clients {
		var seq atomic.Int64
		raw := load(ctx, d, c, cfg.duration, func(ctx context.Context, _ int) error {
			id := strconv.FormatInt(seq.Add(1), 10) + "-" + strconv.Itoa(c)
			_, err := d.ExecContext(ctx, d.Rebind(`INSERT INTO raw_rows (id, tenant_id, status, version, doc) VALUES (?, ?, ?, ?, ?)`), id, "t", "draft", 1, doc)
			return err
		})
		raw.dialect, raw.what = dialect, "raw"
		api := load(ctx, d, c, cfg.duration, func(ctx context.Context, i int) error {
			return create(ctx, client, base, i)
		})
		api.dialect, api.what = dialect, "api"
		out = append(out, raw, api)
	}
	return out, nil
}

// load runs op from c goroutines for d and times every call.
func load(ctx context.Context, database *db.DB, c int, d time.Duration, op func(ctx context.Context, client int) error) result {
	var (
		mu      sync.Mutex
		lat     []time.Duration
		errs    int
		wg      sync.WaitGroup
		started = time.Now()
		until   = started.Add(d)
		cpu0    = processCPU()
	)
	server0, _ := serverCPU(ctx, database)
	for i := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(until) {
				t := time.Now()
				if err := op(ctx, i); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := result{clients: c, ops: len(lat), errors: errs, elapsed: time.Since(started), cpu: processCPU() - cpu0}
	if server1, ok := serverCPU(ctx, database); ok {
		r.dbCPUOK = true
		for pid, t := range server1 {
			r.dbCPU += t - server0[pid]
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r
}

// tenantID is client i's tenant.
func tenantID(i int) string { return fmt.Sprintf("0195b3c0-0000-7000-8000-%012d", i+1) }

// body is a complete draft application of client i.
func body(i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"applicant": map[string]any{
			"legal_name": "Margalla Robotics (Pvt) Ltd", "registration_number": fmt.Sprintf("%07d-L", i+1),
			"tax_number": "1234567-8", "country": "PK",
			"contact": map[string]any{"name": "Ayesha Khan", "email": "ayesha@margalla.example.pk", "phone": "+92 51 1234567"},
		},
		"kind": "zone_enterprise", "zone": "ISB", "sector": "ai",
		"commitments": map[string]any{
			"headcount":  120,
			"investment": map[string]any{"amount_minor": 250_000_000_00, "currency": "PKR"},
			"exports":    map[string]any{"amount_minor": 40_000_000_00, "currency": "PKR"},
			"rnd_spend":  map[string]any{"amount_minor": 15_000_000_00, "currency": "PKR"},
		},
	})
	return b
}

// create makes one draft application as client i, with a token minted for the call as a
// client of a real issuer would present one.
func create(ctx context.Context, c *http.Client, base string, i int) error {
	tok, err := auth.Mint(secret, auth.Principal{Subject: "load-" + strconv.Itoa(i), Role: auth.Tenant, TenantID: tenantID(i)}, time.Hour, time.Now())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/applications", bytes.NewReader(body(i)))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("create application: status %d", resp.StatusCode)
	}
	return nil
}

// print writes, for every backend and number of clients, the median (min–max) over the runs
// of each figure; api/raw is taken within each run, then summarised.
func print(out io.Writer, cfg config, runs [][][]result) error {
	fmt.Fprintf(out, "tenants writes: raw single-row inserts vs POST /v1/applications through the service, %s per point\n", cfg.duration)
	fmt.Fprintf(out, "every figure: median of %d runs (min–max)\n\n", cfg.runs)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	usf := func(v float64) string { return fmt.Sprintf("%.0f µs", v) }
	err := benchx.Table(out, "database\tclients\traw/s\traw p99\traw cpu/op\traw db cpu/op\tapi/s\tapi p50\tapi p99\tapi cpu/op\tapi db cpu/op\tapi errors\tapi/raw\t", func(w io.Writer) {
		for _, br := range runs {
			if len(br) == 0 {
				continue
			}
			for p := 0; p+1 < len(br[0]); p += 2 {
				fig := func(f func(raw, api result) float64) benchx.Summary {
					xs := make([]float64, len(br))
					for i, r := range br {
						xs[i] = f(r[p], r[p+1])
					}
					return benchx.Summarize(xs)
				}
				// The backends' CPU is readable only when PostgreSQL runs on this machine.
				rawDB, apiDB := "-", "-"
				if br[0][p].dbCPUOK {
					rawDB = fig(func(raw, _ result) float64 { return float64(raw.perOp(raw.dbCPU).Microseconds()) }).Format(usf)
					apiDB = fig(func(_, api result) float64 { return float64(api.perOp(api.dbCPU).Microseconds()) }).Format(usf)
				}
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", br[0][p].dialect, br[0][p].clients,
					fig(func(raw, _ result) float64 { return raw.rate() }).Format(benchx.Thousands),
					fig(func(raw, _ result) float64 { return ms(raw.p99) }).Format(benchx.Millis),
					fig(func(raw, _ result) float64 { return float64(raw.perOp(raw.cpu).Microseconds()) }).Format(usf),
					rawDB,
					fig(func(_, api result) float64 { return api.rate() }).Format(benchx.Thousands),
					fig(func(_, api result) float64 { return ms(api.p50) }).Format(benchx.Millis),
					fig(func(_, api result) float64 { return ms(api.p99) }).Format(benchx.Millis),
					fig(func(_, api result) float64 { return float64(api.perOp(api.cpu).Microseconds()) }).Format(usf),
					apiDB,
					fig(func(_, api result) float64 { return float64(api.errors) }).Format(benchx.Thousands),
					fig(func(raw, api result) float64 {
						if raw.rate() == 0 {
							return 0
						}
						return api.rate() / raw.rate()
					}).Format(benchx.Times))
			}
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "raw: one INSERT per call, autocommit, on the pool the service gets; api: POST /v1/applications with a fresh")
	fmt.Fprintln(out, "token per call, through the middleware, the store and the outbox relay. cpu/op: this process's CPU time")
	fmt.Fprintln(out, "per operation (service and load clients; SQLite runs inside it); db cpu/op: the PostgreSQL backends' CPU")
	fmt.Fprintln(out, "time per operation, when the server runs on this machine (- otherwise). Both rates share the machine's")
	_, err = fmt.Fprintln(out, "cores: the ceiling of a rate is cores / (cpu/op + db cpu/op). api/raw is taken within each run.")
	return err
}
