package tenants

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/libs/platform/metrics"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// gauges are the business figures an operator's dashboard needs: applications and licences
// by status and decisions past their legal deadline (read from the database at scrape time,
// so every replica reports the same truth), and how long decisions take.
type gauges struct {
	store  *store.Store
	policy licensing.Policy
	now    func() time.Time
	logger *slog.Logger

	applications *prometheus.Desc
	licences     *prometheus.Desc
	overdue      *prometheus.Desc
	decision     *prometheus.HistogramVec
	late         *prometheus.CounterVec
}

func newGauges(reg prometheus.Registerer, st *store.Store, p licensing.Policy, now func() time.Time, logger *slog.Logger) *gauges {
	day := 24 * time.Hour.Seconds()
	m := &gauges{
		store: st, policy: p, now: now, logger: logger,
		applications: prometheus.NewDesc("zoneops_tenants_applications", "Applications by status.", []string{"status"}, nil),
		licences:     prometheus.NewDesc("zoneops_tenants_licences", "Licences by status.", []string{"status"}, nil),
		overdue: prometheus.NewDesc("zoneops_tenants_applications_overdue",
			"Applications with the authority whose decision date has passed.", nil, nil),
		decision: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zoneops_tenants_decision_duration_seconds",
			Help:    "Time from first submission to decision.",
			Buckets: []float64{day, 3 * day, 7 * day, 14 * day, 21 * day, 30 * day, 45 * day, 60 * day, 90 * day},
		}, []string{"outcome"}),
		late: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoneops_tenants_decisions_late_total",
			Help: "Decisions made after the legal decision date.",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m, m.decision, m.late)
	// Every outcome's series from the start: the first late decision must be an increase from 0
	// for ZoneopsTenantsLateDecisions to see it.
	metrics.Init(m.decision.WithLabelValues, service.Outcomes())
	metrics.Init(m.late.WithLabelValues, service.Outcomes())
	return m
}

// Decided implements service.Observer.
func (m *gauges) Decided(outcome string, submittedAt, decidedAt time.Time, late bool) {
	m.decision.WithLabelValues(outcome).Observe(decidedAt.Sub(submittedAt).Seconds())
	if late {
		m.late.WithLabelValues(outcome).Inc()
	}
}

// Describe implements prometheus.Collector.
func (m *gauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.applications
	ch <- m.licences
	ch <- m.overdue
}

// Collect implements prometheus.Collector with one cheap grouped query per scrape.
func (m *gauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := m.store.Count(ctx, m.policy.Today(m.now()).String())
	if err != nil {
		m.logger.Error("collect tenants gauges", "err", err)
		return
	}
	// Every status is reported, zeros included, so dashboards do not show gaps.
	for _, st := range licensing.ApplicationStatuses() {
		ch <- prometheus.MustNewConstMetric(m.applications, prometheus.GaugeValue, float64(c.Applications[string(st)]), string(st))
	}
	for _, st := range licensing.LicenceStatuses() {
		ch <- prometheus.MustNewConstMetric(m.licences, prometheus.GaugeValue, float64(c.Licences[string(st)]), string(st))
	}
	ch <- prometheus.MustNewConstMetric(m.overdue, prometheus.GaugeValue, float64(c.Overdue))
}
