package allocation

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// maxGaugeZones bounds the zone label: an authority runs tens of zones, not thousands.
const maxGaugeZones = 200

// gaugeTTL is how long computed figures are served before they are read again. Occupancy
// reads every live plot of a zone (about 20 ms for 10,000 plots); on SQLite that holds the only
// connection, so scrapes from several Prometheus replicas must not repeat it back to back.
const gaugeTTL = 30 * time.Second

// gauges report each zone's occupancy at scrape time from the database, so every replica
// reports the same figures. The zone label is the zone's code.
type gauges struct {
	store  *store.Store
	logger *slog.Logger
	now    func() time.Time

	mu       sync.Mutex
	cached   []prometheus.Metric
	cachedAt time.Time

	total, leased, ratio, unitsLeased, unitsFree, waiting, idle *prometheus.Desc
}

func newGauges(reg prometheus.Registerer, st *store.Store, logger *slog.Logger, now func() time.Time) *gauges {
	zone := []string{"zone"}
	g := &gauges{
		store: st, logger: logger, now: now,
		total:       prometheus.NewDesc("zoneops_allocation_zone_area_square_metres", "Land area of a zone's live plots.", zone, nil),
		leased:      prometheus.NewDesc("zoneops_allocation_zone_leased_area_square_metres", "Land area of a zone held by leases.", zone, nil),
		ratio:       prometheus.NewDesc("zoneops_allocation_zone_occupancy_ratio", "Leased over total land area of a zone (0..1).", zone, nil),
		unitsLeased: prometheus.NewDesc("zoneops_allocation_zone_units_leased", "Units of a zone held by leases.", zone, nil),
		unitsFree:   prometheus.NewDesc("zoneops_allocation_zone_units_free", "Units of a zone free to lease.", zone, nil),
		waiting:     prometheus.NewDesc("zoneops_allocation_zone_requests_waiting", "Allocation requests of a zone waiting for an offer or an answer.", zone, nil),
		idle:        prometheus.NewDesc("zoneops_allocation_zone_idle_spaces", "Spaces of a zone marked idle after a missed construction milestone.", zone, nil),
	}
	reg.MustRegister(g)
	return g
}

// Describe implements prometheus.Collector.
func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{g.total, g.leased, g.ratio, g.unitsLeased, g.unitsFree, g.waiting, g.idle} {
		ch <- d
	}
}

// Collect implements prometheus.Collector, serving figures at most gaugeTTL old.
func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cached == nil || g.now().Sub(g.cachedAt) >= gaugeTTL {
		if ms, ok := g.compute(); ok {
			g.cached, g.cachedAt = ms, g.now()
		}
	}
	for _, m := range g.cached {
		ch <- m
	}
}

// compute reads every open zone's occupancy; ok is false when the zones could not be listed.
func (g *gauges) compute() (out []prometheus.Metric, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	zones, _, err := g.store.ListZones(ctx, store.ZoneFilter{
		Statuses: []zoning.ZoneStatus{zoning.ZonePlanned, zoning.ZoneNotified}, Limit: maxGaugeZones,
	})
	if err != nil {
		g.logger.Error("collect allocation gauges", "err", err)
		return nil, false
	}
	for _, z := range zones {
		o, err := g.store.Occupancy(ctx, z.ID)
		if err != nil {
			g.logger.Error("collect allocation gauges", "zone", z.Code, "err", err)
			continue
		}
		code := string(z.Code)
		for _, m := range []struct {
			d *prometheus.Desc
			v float64
		}{
			{g.total, o.TotalAreaM2}, {g.leased, o.LeasedAreaM2}, {g.ratio, o.OccupancyRatio},
			{g.unitsLeased, float64(o.UnitsLeased)}, {g.unitsFree, float64(o.UnitsFree)},
			{g.waiting, float64(o.RequestsWaiting)}, {g.idle, float64(o.IdleSpaces)},
		} {
			out = append(out, prometheus.MustNewConstMetric(m.d, prometheus.GaugeValue, m.v, code))
		}
	}
	return out, true
}
