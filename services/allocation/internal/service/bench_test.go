package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// The benchmarks run the use cases through the service on SQLite, and on PostgreSQL when
// ZONEOPS_TEST_POSTGRES_DSN is set. cmd/allocationbench prints the same figures as a table.

// benchDialects runs fn as a sub-benchmark per backend, each on a fresh, migrated database.
func benchDialects(b *testing.B, fn func(b *testing.B, f fixture)) {
	for _, dialect := range dbtest.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			fn(b, newFixture(worktest.Open(b, dialect, store.Migrations)))
		})
	}
}

// gridPlan is a GeoJSON plan of n×n adjacent squares of side metres near Islamabad (neighbours
// share their corner coordinates exactly, each feature declares its measured area), and a
// zone boundary around it with a one-plot margin.
func gridPlan(b *testing.B, n int, side float64) (fc []byte, zoneBoundary json.RawMessage) {
	b.Helper()
	const lon0, lat0 = 73.0, 33.6
	phi := lat0 * math.Pi / 180
	mx := 111412.84*math.Cos(phi) - 93.5*math.Cos(3*phi)
	my := 111132.954 - 559.822*math.Cos(2*phi) + 1.175*math.Cos(4*phi)
	pt := func(x, y float64) [2]float64 { return [2]float64{lon0 + x/mx, lat0 + y/my} }
	text := func(c [2]float64) string {
		return "[" + strconv.FormatFloat(c[0], 'f', -1, 64) + "," + strconv.FormatFloat(c[1], 'f', -1, 64) + "]"
	}
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		for j := range n {
			c := [][2]float64{pt(float64(i)*side, float64(j)*side), pt(float64(i+1)*side, float64(j)*side),
				pt(float64(i+1)*side, float64(j+1)*side), pt(float64(i)*side, float64(j+1)*side)}
			poly := must[geo.Polygon](b)(geo.FromLonLat(c))
			if i+j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"type":"Feature","properties":{"code":"R%03d-C%03d","area_m2":%.2f,"land_use":"it_park"},`+
				`"geometry":{"type":"Polygon","coordinates":[[%s,%s,%s,%s,%s]]}}`,
				j+1, i+1, geo.AreaM2(poly), text(c[0]), text(c[1]), text(c[2]), text(c[3]), text(c[0]))
		}
	}
	sb.WriteString(`]}`)
	lo, hi := -side, float64(n+1)*side
	zone := must[geo.Polygon](b)(geo.FromLonLat([][2]float64{pt(lo, lo), pt(hi, lo), pt(hi, hi), pt(lo, hi)}))
	return []byte(sb.String()), must[[]byte](b)(json.Marshal(zone))
}

// benchZone registers and notifies a zone with code and boundary (nil for none).
func benchZone(b *testing.B, f fixture, code string, boundary json.RawMessage) *zoning.Zone {
	b.Helper()
	ctx := context.Background()
	z := must[*zoning.Zone](b)(f.svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: code, Name: "Zone " + code,
		Province: "islamabad_capital_territory", Boundary: boundary, DeveloperTenantID: devID}))
	return must[*zoning.Zone](b)(f.svc.NotifyZone(ctx, operator, z.ID))
}

// benchGrant puts an active licence of tenant for zone code into the projection, as the
// licence consumer would.
func benchGrant(b *testing.B, f fixture, tenant, code string) {
	b.Helper()
	ctx := context.Background()
	ch := service.LicenceChange{LicenceID: service.NewID(), Version: 1, Status: leasing.LicenceActive, TenantID: tenant, ZoneCode: code, At: f.clock.Now()}
	if err := f.st.Write(ctx, func(tx *store.Tx) error {
		_, err := service.ApplyLicence(ctx, tx, ch, service.DefaultPolicy(), f.clock.Now())
		return err
	}); err != nil {
		b.Fatal(err)
	}
}

// peakHeap samples HeapAlloc every millisecond until the returned function is called, which
// returns the highest value seen.
func peakHeap() (stop func() uint64) {
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
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
	return func() uint64 { close(quit); <-done; return peak }
}

// BenchmarkImportPlan10k imports a 100×100 grid of adjacent 30 m plots into a fresh zone per
// iteration: the whole use case (decode, rules, overlap index, plot rows and 10,000
// plot.created events in one transaction). Reports plots/s and the sampled peak of the heap.
func BenchmarkImportPlan10k(b *testing.B) {
	const n = 100
	fc, boundary := gridPlan(b, n, 30)
	benchDialects(b, func(b *testing.B, f fixture) {
		ctx := context.Background()
		b.ReportAllocs()
		b.SetBytes(int64(len(fc)))
		var peak uint64
		b.ResetTimer()
		for i := range b.N {
			b.StopTimer()
			z := benchZone(b, f, fmt.Sprintf("Z%d", i), boundary)
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			plots, err := f.svc.ImportPlan(ctx, developer(z.ID), z.ID, fc)
			b.StopTimer()
			peak = max(peak, stop())
			if err != nil {
				b.Fatal(err)
			}
			if len(plots) != n*n {
				b.Fatalf("imported %d plots, want %d", len(plots), n*n)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(n*n*b.N)/b.Elapsed().Seconds(), "plots/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	})
}

// leaseUnits puts up buildings of floors units each on the first plots, and has alice lease
// every other unit (the rest stay free): a zone as occupancy sees it in use.
func leaseUnits(b *testing.B, f fixture, z *zoning.Zone, plots []*zoning.Plot, buildings, floors int) (units, leased int) {
	b.Helper()
	ctx := context.Background()
	dev := developer(z.ID)
	for i := range buildings {
		bd := must[*zoning.Building](b)(f.svc.RegisterBuilding(ctx, dev, plots[i].ID, zoning.BuildingInput{Name: fmt.Sprintf("Block %d", i+1), Floors: floors}))
		for fl := range floors {
			u := must[*zoning.Unit](b)(f.svc.RegisterUnit(ctx, dev, bd.ID, zoning.UnitInput{Floor: fl, AreaM2: "250", Use: "office"}))
			units++
			if units%2 == 1 {
				continue
			}
			ref := unitRef(u.ID)
			r := must[*leasing.Request](b)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: z.ID, Space: ref}))
			must[*leasing.Request](b)(f.svc.OfferSpace(ctx, dev, r.ID, service.OfferInput{Space: *ref, Terms: offerTerms("2026-04-01", 12)}))
			must[*leasing.Lease](b)(f.svc.AcceptOffer(ctx, alice, r.ID))
			leased++
		}
	}
	return units, leased
}

// BenchmarkOccupancy reads the occupancy report, as a viewer, of a zone of 10,000 live plots
// with 200 units in 50 buildings, half of them leased. Reports the p50 and p99 of the calls.
func BenchmarkOccupancy(b *testing.B) {
	fc, boundary := gridPlan(b, 100, 30)
	benchDialects(b, func(b *testing.B, f fixture) {
		ctx := context.Background()
		z := benchZone(b, f, "ISB", boundary)
		benchGrant(b, f, tenantA, "ISB")
		plots := must[[]*zoning.Plot](b)(f.svc.ImportPlan(ctx, developer(z.ID), z.ID, fc))
		units, leased := leaseUnits(b, f, z, plots, 50, 4)
		occ := must[leasing.Occupancy](b)(f.svc.Occupancy(ctx, viewer, z.ID))
		if occ.UnitsLeased != leased || occ.UnitsFree != units-leased {
			b.Fatalf("occupancy %+v, want %d of %d units leased", occ, leased, units)
		}
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			start := time.Now()
			if _, err := f.svc.Occupancy(ctx, viewer, z.ID); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		slices.Sort(lat)
		q := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
	})
}

// BenchmarkAcceptContended accepts b.N offers from 8 goroutines at once. Every unit of one zone
// has 3 offers to different tenants, starting 6 months apart for 12 months each, so an
// offer's neighbours overlap it: depending on the order, a unit ends with one or two leases
// and the other acceptances are conflicts. Reports accepted/s and the share of conflicts
// (ns/op is per attempt); fails on any other error or a unit let twice on one day.
func BenchmarkAcceptContended(b *testing.B) {
	const (
		workers       = 8
		offersPerUnit = 3
		floors        = 8
		tenants       = 20
	)
	benchDialects(b, func(b *testing.B, f fixture) {
		ctx := context.Background()
		const code = "ISB"
		z := benchZone(b, f, code, nil)
		dev := developer(z.ID)
		who := make([]service.Principal, tenants)
		for i := range who {
			id := service.NewID()
			who[i] = service.Principal{Subject: fmt.Sprintf("tenant-%d", i), Role: "tenant", TenantID: id}
			benchGrant(b, f, id, code)
		}
		type offer struct {
			requestID string
			tenant    service.Principal
			unit      int
			slot      int
		}
		offers := make([]offer, 0, b.N)
		var units []string
		for len(offers) < b.N {
			pl := must[*zoning.Plot](b)(f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput(fmt.Sprintf("P-%d", len(units)/floors), 5000)))
			bd := must[*zoning.Building](b)(f.svc.RegisterBuilding(ctx, dev, pl.ID, zoning.BuildingInput{Name: "Block", Floors: floors}))
			for fl := 0; fl < floors && len(offers) < b.N; fl++ {
				u := must[*zoning.Unit](b)(f.svc.RegisterUnit(ctx, dev, bd.ID, zoning.UnitInput{Floor: fl, AreaM2: "250", Use: "office"}))
				units = append(units, u.ID)
				ref := unitRef(u.ID)
				for slot := 0; slot < offersPerUnit && len(offers) < b.N; slot++ {
					t := who[len(offers)%tenants]
					r := must[*leasing.Request](b)(f.svc.SubmitRequest(ctx, t, leasing.RequestInput{ZoneID: z.ID, Space: ref}))
					start := leasing.Date{Year: 2026, Month: time.April, Day: 1}.AddMonths(6 * slot).String()
					must[*leasing.Request](b)(f.svc.OfferSpace(ctx, dev, r.ID, service.OfferInput{Space: *ref, Terms: offerTerms(start, 12)}))
					offers = append(offers, offer{requestID: r.ID, tenant: t, unit: len(units) - 1, slot: slot})
				}
			}
		}
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(offers), func(i, j int) { offers[i], offers[j] = offers[j], offers[i] })
		work := make(chan offer, len(offers))
		for _, o := range offers {
			work <- o
		}
		close(work)

		var mu sync.Mutex
		var conflicts int
		var failures []error
		accepted := map[int][]int{}
		var wg sync.WaitGroup
		b.ResetTimer()
		for range workers {
			wg.Go(func() {
				for o := range work {
					_, err := f.svc.AcceptOffer(ctx, o.tenant, o.requestID)
					mu.Lock()
					switch {
					case err == nil:
						accepted[o.unit] = append(accepted[o.unit], o.slot)
					case errors.Is(err, fault.ErrConflict):
						conflicts++
					default:
						failures = append(failures, err)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		if len(failures) > 0 {
			b.Fatalf("%d acceptances failed, first: %v", len(failures), failures[0])
		}
		n := 0
		for unit, slots := range accepted {
			n += len(slots)
			for i, a := range slots {
				for _, c := range slots[i+1:] {
					if a-c < 2 && c-a < 2 {
						b.Fatalf("unit %s let twice over shared days (offers %d and %d)", units[unit], a, c)
					}
				}
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "accepted/s")
		b.ReportMetric(float64(conflicts)/float64(b.N), "conflicts/op")
	})
}
