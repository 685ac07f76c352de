// Command allocationbench measures the allocation service's heavy use cases through the service
// layer (the code the HTTP transport calls) against a real database, and prints tables:
//
//  1. a generated GeoJSON plan of -grid × -grid adjacent square plots imported into one zone
//     with ImportPlan (decode, rules, spatial index, the plot rows and their plot.created
//     events in one transaction): plots/s, the Go heap's sampled peak, bytes allocated and the
//     process's maximum resident set;
//  2. the zone's occupancy report (Occupancy, as a viewer) right after the import and again
//     once units are leased: p50, p99 and max over -occupancy-runs calls; and the latency of
//     small writes (4 × -occupancy-runs zone registrations) alone, beside reports on the read
//     pool, and on SQLite beside the same reports on the write connection (as before the
//     read pool);
//  3. lease acceptance under contention: licensed tenants hold offers of units, several offers
//     per unit over overlapping dates, and -workers goroutines accept them all at once:
//     accepted/s, conflicts (the second offer of a unit over overlapping days) and latency,
//     and a check that no unit was let twice on any day; first with every unit in the planned
//     zone (whose writers queue on its lock), then with the same buildings spread over -zones
//     fresh zones.
//
// It runs on SQLite and, with -postgres-dsn or ZONEOPS_TEST_POSTGRES_DSN, on PostgreSQL in a
// schema it creates and drops. Everything runs -runs times on fresh databases; every figure is
// the median of the runs with their minimum and maximum, and the import's and acceptance's
// rates are also given as ratios to the database's raw insert and commit rates measured in the
// same run.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/benchx"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

func main() { app.Exit("allocationbench", run(context.Background(), os.Args[1:], os.Stdout)) }

// config holds the flags.
type config struct {
	runs             int
	grid             int
	plotM            float64
	angle            float64
	occupancyRuns    int
	tenants          int
	buildings        int
	unitsPerBuilding int
	offersPerUnit    int
	workers          int
	zones            int
	postgresDSN      string
	sqlite           bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("allocationbench", flag.ContinueOnError)
	fs.IntVar(&cfg.runs, "runs", 3, "runs of every measurement; each figure is their median, with min and max")
	fs.IntVar(&cfg.grid, "grid", 100, "plots per side of the square plan (grid×grid plots; at most 10,000 in all, the plan limit)")
	fs.Float64Var(&cfg.plotM, "plot-m", 30, "side of a plot, metres")
	fs.Float64Var(&cfg.angle, "angle", 0, "rotation of the grid, radians (0.3 makes every neighbour pair go through the exact overlap test)")
	fs.IntVar(&cfg.occupancyRuns, "occupancy-runs", 50, "occupancy reports timed at each point")
	fs.IntVar(&cfg.tenants, "tenants", 100, "licensed tenants asking for units")
	fs.IntVar(&cfg.buildings, "buildings", 50, "buildings put up on the first plots of the plan")
	fs.IntVar(&cfg.unitsPerBuilding, "units", 4, "units per building")
	fs.IntVar(&cfg.offersPerUnit, "offers", 3, "offers per unit, each starting 6 months after the previous, for 12 months (so neighbours overlap)")
	fs.IntVar(&cfg.workers, "workers", 8, "goroutines accepting offers at once")
	fs.IntVar(&cfg.zones, "zones", 4, "zones a second acceptance run spreads the same buildings over (below 2 skips it)")
	fs.StringVar(&cfg.postgresDSN, "postgres-dsn", os.Getenv("ZONEOPS_TEST_POSTGRES_DSN"), "PostgreSQL server to measure too (a schema is created and dropped); empty skips it")
	fs.BoolVar(&cfg.sqlite, "sqlite", true, "measure SQLite")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case cfg.grid < 1 || cfg.grid*cfg.grid > geo.DefaultMaxFeatures:
		return fmt.Errorf("-grid must be between 1 and %d", int(math.Sqrt(geo.DefaultMaxFeatures)))
	case cfg.plotM < 5 || cfg.plotM > 1000:
		return errors.New("-plot-m must be between 5 and 1000")
	case cfg.buildings < 1 || cfg.buildings > cfg.grid*cfg.grid:
		return errors.New("-buildings must be between 1 and the number of plots")
	case cfg.runs < 1:
		return errors.New("-runs must be positive")
	case cfg.tenants < 1 || cfg.unitsPerBuilding < 1 || cfg.offersPerUnit < 1 || cfg.workers < 1 || cfg.occupancyRuns < 1:
		return errors.New("-tenants, -units, -offers, -workers and -occupancy-runs must be positive")
	}

	p, err := makePlan(cfg.grid, cfg.plotM, cfg.angle)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "allocationbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	orient := "north-aligned"
	if cfg.angle != 0 {
		orient = fmt.Sprintf("turned %.2g rad", cfg.angle)
	}
	fmt.Fprintf(out, "allocationbench: %s plots (%d×%d grid of adjacent %g m squares, %s) in %s of GeoJSON; %s, GOMAXPROCS %d\n",
		benchx.Thousands(float64(p.plots)), cfg.grid, cfg.grid, cfg.plotM, orient, mib(uint64(len(p.fc))), runtime.Version(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "every figure: median of %d runs (min–max)\n\n", cfg.runs)

	type backend struct {
		name string
		open func() (*db.DB, func(), error)
	}
	var backends []backend
	if cfg.sqlite {
		opened := 0
		backends = append(backends, backend{"sqlite", func() (*db.DB, func(), error) {
			opened++ // a fresh file every run
			d, err := db.Open(ctx, db.Config{Driver: "sqlite", DSN: filepath.Join(dir, fmt.Sprintf("allocation-%d.db", opened))})
			if err != nil {
				return nil, nil, err
			}
			return d, func() { d.Close() }, nil
		}})
	}
	if cfg.postgresDSN != "" {
		backends = append(backends, backend{"postgres", func() (*db.DB, func(), error) {
			return openPostgresSchema(ctx, cfg.postgresDSN, cfg.workers+2)
		}})
	}
	// Each run measures every backend on a fresh database, and the raw limits with it, so
	// that a ratio compares figures taken under the same load on the machine.
	results := make([][]result, len(backends))
	var breakdowns []breakdown
	for range cfg.runs {
		for i, b := range backends {
			d, closeDB, err := b.open()
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			res, err := measureBackend(ctx, cfg, d, p)
			closeDB()
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			res.backend = b.name
			results[i] = append(results[i], res)
		}
		bd, err := measureWithoutDB(p)
		if err != nil {
			return err
		}
		breakdowns = append(breakdowns, bd)
	}
	return printResults(out, cfg, p, results, breakdowns)
}

// result is one backend's figures.
type result struct {
	backend string
	raw     rawLimits
	imp     importResult
	occ     []occupancyResult
	beside  []besideResult
	acc     []acceptResult
}

type importResult struct {
	plots      int
	elapsed    time.Duration
	heapBefore uint64 // HeapAlloc after a GC, before the import
	heapPeak   uint64 // highest HeapAlloc sampled during the import
	allocated  uint64 // TotalAlloc delta
	mallocs    uint64
	gcs        uint32
	maxRSS     uint64 // the process's high-water mark so far (bytes; 0 if unknown)
}

type occupancyResult struct {
	when                          string
	runs                          int
	p50, p99, max                 time.Duration
	plots, units, leases, waiting int
	occ                           leasing.Occupancy
}

type acceptResult struct {
	zones, units, requests      int
	accepted, conflicts, failed int
	firstFailure                error
	setup, elapsed              time.Duration
	p50, p99, max               time.Duration
	doubleLets, leasesStored    int
}

// measureBackend runs the three measurements on a fresh database.
func measureBackend(ctx context.Context, cfg config, d *db.DB, p plan) (result, error) {
	var res result
	if err := d.Migrate(ctx, allocation.Definition().AllMigrations()...); err != nil {
		return res, err
	}
	raw, err := measureRawLimits(ctx, d, p.plots, cfg.buildings*cfg.unitsPerBuilding*cfg.offersPerUnit, cfg.workers)
	if err != nil {
		return res, err
	}
	res.raw = raw
	st := store.New(d, nil)
	svc := service.New(st, service.DefaultPolicy(), time.Now, nil)
	operator := service.Principal{Subject: "bench-operator", Role: "operator"}
	z, err := svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: "ISB", Name: "Islamabad benchmark zone",
		Province: "islamabad_capital_territory", Boundary: p.zoneBoundary, DeveloperTenantID: service.NewID()})
	if err != nil {
		return res, err
	}
	if z, err = svc.NotifyZone(ctx, operator, z.ID); err != nil {
		return res, err
	}
	dev := service.Principal{Subject: "bench-developer", Role: "zone_developer", Zones: []string{z.ID}}

	// 1. The import.
	plotIDs, err := measureImport(ctx, svc, dev, z.ID, p, &res.imp)
	if err != nil {
		return res, err
	}

	// 2. Occupancy of the freshly planned zone.
	o, err := timeOccupancy(ctx, svc, d, z.ID, cfg.occupancyRuns, "after import")
	if err != nil {
		return res, err
	}
	res.occ = append(res.occ, o)
	if res.beside, err = besideWrites(ctx, d, svc, z.ID, cfg.occupancyRuns*4, "B"); err != nil {
		return res, err
	}

	// 3. Leasing under contention in the planned zone, then its occupancy again.
	acc, err := contend(ctx, cfg, svc, st, []site{{zone: z, plots: plotIDs}})
	if err != nil {
		return res, err
	}
	res.acc = append(res.acc, acc)
	o, err = timeOccupancy(ctx, svc, d, z.ID, cfg.occupancyRuns, "after leasing")
	if err != nil {
		return res, err
	}
	res.occ = append(res.occ, o)

	// 4. The same leasing spread over several zones, whose writers do not wait for each other.
	if cfg.zones < 2 {
		return res, nil
	}
	sites := make([]site, cfg.zones)
	perZone := (cfg.buildings + cfg.zones - 1) / cfg.zones
	for i := range sites {
		code := fmt.Sprintf("AZ%d", i+1)
		zz, err := svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: code, Name: "Zone " + code, Province: "punjab", DeveloperTenantID: service.NewID()})
		if err != nil {
			return res, err
		}
		if zz, err = svc.NotifyZone(ctx, operator, zz.ID); err != nil {
			return res, err
		}
		sites[i].zone = zz
		for j := range perZone {
			pl, err := svc.CreatePlot(ctx, service.Principal{Subject: "bench-developer", Role: "zone_developer", Zones: []string{zz.ID}}, zz.ID,
				zoning.PlotInput{Code: fmt.Sprintf("B-%d", j+1), AreaM2: "5000", LandUse: "it_park"})
			if err != nil {
				return res, err
			}
			sites[i].plots = append(sites[i].plots, pl.ID)
		}
	}
	if acc, err = contend(ctx, cfg, svc, st, sites); err != nil {
		return res, err
	}
	res.acc = append(res.acc, acc)
	return res, nil
}

// measureImport imports the plan into the zone with the heap sampled while it runs, and
// returns the new plots' ids in feature order.
func measureImport(ctx context.Context, svc service.Service, dev service.Principal, zoneID string, p plan, r *importResult) ([]string, error) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := sampleHeap(time.Millisecond)
	begin := time.Now()
	plots, err := svc.ImportPlan(ctx, dev, zoneID, p.fc)
	elapsed := time.Since(begin)
	peak := stop()
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	runtime.ReadMemStats(&after)
	if len(plots) != p.plots {
		return nil, fmt.Errorf("import made %d plots, want %d", len(plots), p.plots)
	}
	*r = importResult{plots: len(plots), elapsed: elapsed, heapBefore: before.HeapAlloc, heapPeak: max(peak, after.HeapAlloc),
		allocated: after.TotalAlloc - before.TotalAlloc, mallocs: after.Mallocs - before.Mallocs, gcs: after.NumGC - before.NumGC,
		maxRSS: maxRSS()}
	ids := make([]string, len(plots))
	for i, pl := range plots {
		ids[i] = pl.ID
	}
	return ids, nil
}

// sampleHeap records the highest HeapAlloc it sees, every interval, until the returned
// function is called; that returns the peak.
func sampleHeap(every time.Duration) (stop func() uint64) {
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(quit)
		<-done
		return peak
	}
}

// timeOccupancy times runs occupancy reports of the zone as a viewer.
func timeOccupancy(ctx context.Context, svc service.Service, d *db.DB, zoneID string, runs int, when string) (occupancyResult, error) {
	viewer := service.Principal{Subject: "bench-viewer", Role: "viewer"}
	r := occupancyResult{when: when, runs: runs}
	for _, c := range []struct {
		n *int
		q string
	}{
		{&r.plots, `SELECT count(*) FROM plots WHERE zone_id = ? AND status = 'live'`},
		{&r.units, `SELECT count(*) FROM units WHERE zone_id = ?`},
		{&r.leases, `SELECT count(*) FROM leases WHERE zone_id = ? AND status <> 'ended'`},
		{&r.waiting, `SELECT count(*) FROM requests WHERE zone_id = ? AND status IN ('submitted', 'offered')`},
	} {
		if err := d.GetContext(ctx, c.n, d.Rebind(c.q), zoneID); err != nil {
			return r, err
		}
	}
	// One untimed call warms the statement cache and the pages.
	if _, err := svc.Occupancy(ctx, viewer, zoneID); err != nil {
		return r, fmt.Errorf("occupancy: %w", err)
	}
	lat := make([]time.Duration, 0, runs)
	for range runs {
		start := time.Now()
		o, err := svc.Occupancy(ctx, viewer, zoneID)
		if err != nil {
			return r, fmt.Errorf("occupancy: %w", err)
		}
		lat = append(lat, time.Since(start))
		r.occ = o
	}
	slices.Sort(lat)
	r.p50, r.p99, r.max = quantile(lat, 0.50), quantile(lat, 0.99), lat[len(lat)-1]
	return r, nil
}

// offer is one offered request of the contention run.
type offer struct {
	requestID string
	tenant    service.Principal
	unit      int
	slot      int // the offer's place in its unit's sequence: starts 6·slot months after the first
}

// site is a zone the contention run builds in, and the plots it may build on.
type site struct {
	zone  *zoning.Zone
	plots []string
}

// contend puts up buildings of units on the sites' plots (round robin over the sites),
// licenses tenants in every site's zone, has them ask for the units and the developer offer
// each unit offersPerUnit times over overlapping periods, then accepts every offer from
// workers goroutines at once.
func contend(ctx context.Context, cfg config, svc service.Service, st *store.Store, sites []site) (acceptResult, error) {
	res := acceptResult{zones: len(sites)}
	setup := time.Now()
	dev := service.Principal{Subject: "bench-developer", Role: "zone_developer"}
	for _, s := range sites {
		dev.Zones = append(dev.Zones, s.zone.ID)
	}
	tenants := make([]service.Principal, cfg.tenants)
	err := st.Write(ctx, func(tx *store.Tx) error {
		for i := range tenants {
			id := service.NewID()
			tenants[i] = service.Principal{Subject: fmt.Sprintf("tenant-%d", i), Role: "tenant", TenantID: id}
			for _, s := range sites {
				if _, err := service.ApplyLicence(ctx, tx, service.LicenceChange{LicenceID: service.NewID(), Version: 1,
					Status: leasing.LicenceActive, TenantID: id, ZoneCode: string(s.zone.Code), At: time.Now()}, service.DefaultPolicy(), time.Now()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("licences: %w", err)
	}
	type unit struct{ id, zoneID string }
	var units []unit
	for b := range cfg.buildings {
		s := sites[b%len(sites)]
		bd, err := svc.RegisterBuilding(ctx, dev, s.plots[b/len(sites)], zoning.BuildingInput{Name: fmt.Sprintf("Block %d", b+1), Floors: cfg.unitsPerBuilding})
		if err != nil {
			return res, err
		}
		for f := range cfg.unitsPerBuilding {
			u, err := svc.RegisterUnit(ctx, dev, bd.ID, zoning.UnitInput{Label: fmt.Sprintf("%d-%d", b+1, f), Floor: f, AreaM2: "250", Use: "office"})
			if err != nil {
				return res, err
			}
			units = append(units, unit{id: u.ID, zoneID: s.zone.ID})
		}
	}
	today := leasing.DateOf(time.Now(), civil.PakistanStandardTime())
	first := today.AddDays(30)
	var offers []offer
	for ui, u := range units {
		ref := leasing.SpaceRefInput{Kind: "unit", ID: u.id}
		for slot := range cfg.offersPerUnit {
			t := tenants[(ui*cfg.offersPerUnit+slot)%len(tenants)]
			r, err := svc.SubmitRequest(ctx, t, leasing.RequestInput{ZoneID: u.zoneID, Space: &ref})
			if err != nil {
				return res, err
			}
			terms := leasing.TermsInput{StartDate: first.AddMonths(6 * slot).String(), TermMonths: 12, NoticeMonths: 3,
				OfferValidUntil: today.AddDays(14).String(),
				RentPerM2Month:  leasing.MoneyInput{AmountMinor: 150_00, Currency: "PKR"}, Deposit: leasing.MoneyInput{AmountMinor: 0, Currency: "PKR"}}
			if _, err := svc.OfferSpace(ctx, dev, r.ID, service.OfferInput{Space: ref, Terms: terms}); err != nil {
				return res, err
			}
			offers = append(offers, offer{requestID: r.ID, tenant: t, unit: ui, slot: slot})
		}
	}
	res.setup = time.Since(setup)
	res.units, res.requests = len(units), len(offers)
	mrand.New(mrand.NewPCG(1, 2)).Shuffle(len(offers), func(i, j int) { offers[i], offers[j] = offers[j], offers[i] })

	// Every worker waits at the gate, then takes offers until none are left.
	type outcome struct {
		o   offer
		err error
		d   time.Duration
	}
	work := make(chan offer, len(offers))
	for _, o := range offers {
		work <- o
	}
	close(work)
	outcomes := make(chan outcome, len(offers))
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for range cfg.workers {
		wg.Go(func() {
			<-gate
			for o := range work {
				start := time.Now()
				_, err := svc.AcceptOffer(ctx, o.tenant, o.requestID)
				outcomes <- outcome{o: o, err: err, d: time.Since(start)}
			}
		})
	}
	begin := time.Now()
	close(gate)
	wg.Wait()
	res.elapsed = time.Since(begin)
	close(outcomes)

	lat := make([]time.Duration, 0, len(offers))
	accepted := map[int][]int{} // unit → slots accepted
	for oc := range outcomes {
		lat = append(lat, oc.d)
		switch {
		case oc.err == nil:
			res.accepted++
			accepted[oc.o.unit] = append(accepted[oc.o.unit], oc.o.slot)
		case errors.Is(oc.err, fault.ErrConflict):
			res.conflicts++
		default:
			res.failed++
			if res.firstFailure == nil {
				res.firstFailure = oc.err
			}
		}
	}
	slices.Sort(lat)
	res.p50, res.p99, res.max = quantile(lat, 0.50), quantile(lat, 0.99), lat[len(lat)-1]
	// Slots less than two apart share days: no unit may hold two of them.
	for _, slots := range accepted {
		for i, a := range slots {
			for _, b := range slots[i+1:] {
				if a-b < 2 && b-a < 2 {
					res.doubleLets++
				}
			}
		}
	}
	ids := make([]any, len(sites))
	for i, s := range sites {
		ids[i] = s.zone.ID
	}
	d := st.DB()
	if err := d.GetContext(ctx, &res.leasesStored, d.Rebind(`SELECT count(*) FROM leases WHERE zone_id IN (`+db.Placeholders(len(ids))+`)`), ids...); err != nil {
		return res, err
	}
	return res, nil
}

// breakdown is the import's work without a database: what the service does before and
// after its transaction's SQL.
type breakdown struct {
	decode, rules time.Duration
}

// measureWithoutDB times the plan's decode and the import rules (codes, zone boundary, the
// overlap index) on their own, against an empty zone, to show where the import's time goes.
func measureWithoutDB(p plan) (breakdown, error) {
	var b breakdown
	policy := service.DefaultPolicy().Zoning
	runtime.GC()
	start := time.Now()
	features, err := zoning.DecodePlan(p.fc, policy)
	if err != nil {
		return b, err
	}
	b.decode = time.Since(start)
	spec, err := zoning.ParseZone(zoning.ZoneInput{Code: "ISB", Name: "Islamabad benchmark zone", Province: "islamabad_capital_territory",
		Boundary: p.zoneBoundary, DeveloperTenantID: service.NewID()}, policy)
	if err != nil {
		return b, err
	}
	actor := zoning.Actor{Subject: "bench", Role: audit.RoleOperator}
	z, err := zoning.NewZone(service.NewID(), spec, time.Now(), actor)
	if err != nil {
		return b, err
	}
	if err := z.Notify(time.Now(), actor); err != nil {
		return b, err
	}
	runtime.GC()
	start = time.Now()
	plots, err := zoning.ImportPlan(z, zoning.ZonePlots{Index: geo.NewIndex(), Codes: map[zoning.PlotCode]string{}}, features,
		service.NewID, time.Now(), zoning.Actor{Subject: "bench", Role: audit.RoleZoneDeveloper}, policy)
	if err != nil {
		return b, err
	}
	b.rules = time.Since(start)
	if len(plots) != p.plots {
		return b, fmt.Errorf("rules made %d plots, want %d", len(plots), p.plots)
	}
	return b, nil
}

// over summarises one figure over a backend's runs.
func over[T any](runs []T, figure func(T) float64) benchx.Summary {
	xs := make([]float64, len(runs))
	for i, r := range runs {
		xs[i] = figure(r)
	}
	return benchx.Summarize(xs)
}

// Formatters for the cells.
var (
	count  = benchx.Thousands
	mibs   = func(f float64) string { return mib(uint64(f)) }
	millis = func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	secs   = func(f float64) string { return fmt.Sprintf("%.2f", f) }
)

// printResults prints the tables; results holds each backend's runs.
func printResults(out io.Writer, cfg config, p plan, results [][]result, bds []breakdown) error {
	err := benchx.Table(out, "plan import (ImportPlan)\tplots\tseconds\tplots/s\traw rows/s\tplots/s ÷ raw\theap before\theap peak\tallocated\tmallocs\tGCs\tmax RSS\t", func(w io.Writer) {
		for _, rs := range results {
			rate := over(rs, func(r result) float64 { return float64(r.imp.plots) / r.imp.elapsed.Seconds() })
			ratio := over(rs, func(r result) float64 { return float64(r.imp.plots) / r.imp.elapsed.Seconds() / r.raw.rows })
			rss := over(rs, func(r result) float64 { return float64(r.imp.maxRSS) }).Format(mibs)
			if rs[0].imp.maxRSS == 0 {
				rss = "n/a"
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rs[0].backend, rs[0].imp.plots,
				over(rs, func(r result) float64 { return r.imp.elapsed.Seconds() }).Format(secs), rate.Format(count),
				over(rs, func(r result) float64 { return r.raw.rows }).Format(count), ratio.Format(benchx.Times),
				over(rs, func(r result) float64 { return float64(r.imp.heapBefore) }).Format(mibs),
				over(rs, func(r result) float64 { return float64(r.imp.heapPeak) }).Format(mibs),
				over(rs, func(r result) float64 { return float64(r.imp.allocated) }).Format(mibs),
				over(rs, func(r result) float64 { return float64(r.imp.mallocs) }).Format(count),
				over(rs, func(r result) float64 { return float64(r.imp.gcs) }).Format(count), rss)
		}
		for _, part := range []struct {
			name string
			d    func(breakdown) time.Duration
		}{
			{"of which, no database: decode", func(b breakdown) time.Duration { return b.decode }},
			{"rules, zone boundary, overlap index", func(b breakdown) time.Duration { return b.rules }},
		} {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\t\t\t\t\t\t\t\t\n", part.name, p.plots,
				over(bds, func(b breakdown) float64 { return part.d(b).Seconds() }).Format(secs),
				over(bds, func(b breakdown) float64 { return float64(p.plots) / part.d(b).Seconds() }).Format(count))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "seconds: the whole use case (decode, rules, index, plot rows and plot.created events in one transaction).")
	fmt.Fprintln(out, "raw rows/s: the database inserting as many rows of 300 B in one transaction, 500 a statement, in the same")
	fmt.Fprintln(out, "run; plots/s ÷ raw: the import's rate against it, run by run. heap peak: highest runtime.MemStats.HeapAlloc")
	fmt.Fprintln(out, "sampled every 1 ms during the import; allocated: TotalAlloc delta; max RSS: getrusage high-water mark of")
	fmt.Fprintln(out, "the process so far (it includes earlier backends and runs).")
	fmt.Fprintln(out)

	err = benchx.Table(out, "occupancy report (Occupancy)\t\tlive plots\tunits\tunits leased\tleases\twaiting\tratio\truns\tp50\tp99\tmax\t", func(w io.Writer) {
		for _, rs := range results {
			for i, o := range rs[0].occ {
				at := func(r result) occupancyResult { return r.occ[i] }
				fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.4f\t%d\t%s\t%s\t%s\t\n", rs[0].backend, o.when, o.plots, o.units, o.occ.UnitsLeased,
					o.leases, o.waiting, o.occ.OccupancyRatio, o.runs,
					over(rs, func(r result) float64 { return millis(at(r).p50) }).Format(benchx.Millis),
					over(rs, func(r result) float64 { return millis(at(r).p99) }).Format(benchx.Millis),
					over(rs, func(r result) float64 { return millis(at(r).max) }).Format(benchx.Millis))
			}
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "units leased, leases, waiting and ratio: the first run's (the runs' random acceptance order can change them).")
	fmt.Fprintln(out)
	if err := printBeside(out, results); err != nil {
		return err
	}

	err = benchx.Table(out, "lease acceptance (AcceptOffer)\tzones\tworkers\tunits\toffers\taccepted\tconflicts\tfailed\tseconds\taccepted/s\tattempts/s\traw commits/s\tattempts/s ÷ raw\tp50\tp99\tmax\tdouble lets\tsetup s\t", func(w io.Writer) {
		for _, rs := range results {
			for i, a := range rs[0].acc {
				at := func(r result) acceptResult { return r.acc[i] }
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rs[0].backend, a.zones, cfg.workers, a.units, a.requests,
					over(rs, func(r result) float64 { return float64(at(r).accepted) }).Format(count),
					over(rs, func(r result) float64 { return float64(at(r).conflicts) }).Format(count),
					over(rs, func(r result) float64 { return float64(at(r).failed) }).Format(count),
					over(rs, func(r result) float64 { return at(r).elapsed.Seconds() }).Format(secs),
					over(rs, func(r result) float64 { return float64(at(r).accepted) / at(r).elapsed.Seconds() }).Format(count),
					over(rs, func(r result) float64 { return float64(at(r).requests) / at(r).elapsed.Seconds() }).Format(count),
					over(rs, func(r result) float64 { return r.raw.commits }).Format(count),
					over(rs, func(r result) float64 { return float64(at(r).requests) / at(r).elapsed.Seconds() / r.raw.commits }).Format(benchx.Times),
					over(rs, func(r result) float64 { return millis(at(r).p50) }).Format(benchx.Millis),
					over(rs, func(r result) float64 { return millis(at(r).p99) }).Format(benchx.Millis),
					over(rs, func(r result) float64 { return millis(at(r).max) }).Format(benchx.Millis),
					over(rs, func(r result) float64 { return float64(at(r).doubleLets) }).Format(count),
					over(rs, func(r result) float64 { return at(r).setup.Seconds() }).Format(func(f float64) string { return fmt.Sprintf("%.1f", f) }))
			}
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d tenants; %d offers per unit, each starting 6 months after the previous for 12 months, so neighbouring\n",
		cfg.tenants, cfg.offersPerUnit)
	fmt.Fprintln(out, "offers of a unit overlap; all accepted at once in random order. 1 zone: the planned zone, whose writers")
	fmt.Fprintf(out, "queue on its lock; %d zones: the same buildings spread over fresh zones, which lock independently.\n", cfg.zones)
	fmt.Fprintln(out, "conflicts: refused because the unit is let over part of the period (409); double lets: accepted leases")
	fmt.Fprintln(out, "of one unit sharing a day (must be 0); setup: licences, buildings, units, requests and offers, untimed.")
	fmt.Fprintln(out, "raw commits/s: one-row INSERT transactions from the same workers in the same run, as many as the offers;")
	fmt.Fprintln(out, "attempts/s ÷ raw: acceptance attempts against it, run by run.")
	var failures []string
	for _, rs := range results {
		for run, r := range rs {
			for _, a := range r.acc {
				if a.failed > 0 || a.doubleLets > 0 || a.leasesStored != a.accepted {
					failures = append(failures, fmt.Sprintf("%s, run %d, %d zones: %d failed (first: %v), %d double lets, %d leases stored for %d accepted",
						r.backend, run+1, a.zones, a.failed, a.firstFailure, a.doubleLets, a.leasesStored, a.accepted))
				}
			}
		}
	}
	if len(failures) > 0 {
		return errors.New(strings.Join(failures, "; "))
	}
	return nil
}

// plan is a generated plot plan.
type plan struct {
	fc           []byte          // the FeatureCollection
	zoneBoundary json.RawMessage // a square around the grid, one plot wide margin
	plots        int
}

// makePlan draws n×n adjacent square plots of side metres near Islamabad, turned by angle
// radians, as a GeoJSON FeatureCollection; neighbours share their corner coordinates exactly.
// Each feature declares its measured area.
func makePlan(n int, side, angle float64) (plan, error) {
	const lon0, lat0 = 73.0, 33.6
	phi := lat0 * math.Pi / 180
	mx := 111412.84*math.Cos(phi) - 93.5*math.Cos(3*phi)               // metres per degree of longitude
	my := 111132.954 - 559.822*math.Cos(2*phi) + 1.175*math.Cos(4*phi) // metres per degree of latitude
	sin, cos := math.Sincos(angle)
	pt := func(x, y float64) [2]float64 {
		return [2]float64{lon0 + (x*cos-y*sin)/mx, lat0 + (x*sin+y*cos)/my}
	}
	corners := make([][][2]float64, n+1)
	text := make([][]string, n+1)
	for i := range corners {
		corners[i] = make([][2]float64, n+1)
		text[i] = make([]string, n+1)
		for j := range corners[i] {
			c := pt(float64(i)*side, float64(j)*side)
			corners[i][j] = c
			text[i][j] = "[" + strconv.FormatFloat(c[0], 'f', -1, 64) + "," + strconv.FormatFloat(c[1], 'f', -1, 64) + "]"
		}
	}
	uses := []string{"it_park", "industrial", "commercial"}
	var b strings.Builder
	b.Grow(n * n * 330)
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		for j := range n {
			poly, err := geo.FromLonLat([][2]float64{corners[i][j], corners[i+1][j], corners[i+1][j+1], corners[i][j+1]})
			if err != nil {
				return plan{}, fmt.Errorf("plot %d,%d: %w", i, j, err)
			}
			if i+j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"Feature","properties":{"code":"R%03d-C%03d","area_m2":%.2f,"land_use":%q},`+
				`"geometry":{"type":"Polygon","coordinates":[[%s,%s,%s,%s,%s]]}}`,
				j+1, i+1, geo.AreaM2(poly), uses[j%len(uses)],
				text[i][j], text[i+1][j], text[i+1][j+1], text[i][j+1], text[i][j])
		}
	}
	b.WriteString(`]}`)
	lo, hi := -side, float64(n+1)*side
	ring := [][2]float64{pt(lo, lo), pt(hi, lo), pt(hi, hi), pt(lo, hi)}
	zone, err := geo.FromLonLat(ring)
	if err != nil {
		return plan{}, err
	}
	boundary, err := json.Marshal(zone)
	if err != nil {
		return plan{}, err
	}
	return plan{fc: []byte(b.String()), zoneBoundary: boundary, plots: n * n}, nil
}

// openPostgresSchema creates a schema of its own on the server and opens a handle whose
// search_path is that schema (then public, where btree_gist lives); the returned close drops
// it.
func openPostgresSchema(ctx context.Context, dsn string, conns int) (*db.DB, func(), error) {
	admin, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 2})
	if err != nil {
		return nil, nil, err
	}
	// The leases' exclusion constraints need btree_gist, which lives per database.
	if err := db.EnsureExtension(ctx, admin, "btree_gist"); err != nil {
		admin.Close()
		return nil, nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "allocationbench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, nil, err
	}
	drop := func() {
		admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	}
	scoped, err := withSearchPath(dsn, schema+",public")
	if err != nil {
		drop()
		return nil, nil, err
	}
	d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: scoped, MaxOpenConns: conns})
	if err != nil {
		drop()
		return nil, nil, err
	}
	return d, func() { d.Close(); drop() }, nil
}

func withSearchPath(dsn, path string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " search_path=" + path, nil // key=value form
	}
	q := u.Query()
	q.Set("search_path", path)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// quantile returns the q-quantile of sorted, non-empty xs (nearest rank).
func quantile(xs []time.Duration, q float64) time.Duration {
	return xs[min(len(xs)-1, int(q*float64(len(xs))))]
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
