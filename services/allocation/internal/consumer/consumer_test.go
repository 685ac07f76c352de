package consumer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	platformconsumer "github.com/zoneops/zoneops/libs/platform/consumer"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/services/allocation/internal/consumer"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

var (
	// t0 is 10:00 in Islamabad on Monday 2 March 2026.
	t0       = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	tenantA  = "0195b3c0-0000-7000-8000-00000000000a"
	operator = service.Principal{Subject: "olivia", Role: "operator"}
	alice    = service.Principal{Subject: "alice", Role: "tenant", TenantID: tenantA}
	official = values.Actor{Subject: "olivia", Role: values.RoleOperator}
)

// world is one test's allocation service, database, embedded NATS with the TENANTS stream,
// and the licence consumer running against them.
type world struct {
	t     *testing.T
	d     *db.DB
	st    *store.Store
	svc   service.Service
	js    jetstream.JetStream
	clock *apitest.Clock
	reg   *prometheus.Registry
}

func start(t *testing.T, d *db.DB) *world {
	t.Helper()
	srv := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, srv)
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}}); err != nil {
		t.Fatal(err)
	}
	c := apitest.NewClock(t0)
	st := store.New(d, nil)
	w := &world{t: t, d: d, st: st, svc: service.New(st, service.DefaultPolicy(), c.Now, nil), js: js, clock: c, reg: prometheus.NewRegistry()}

	cfg := consumer.Config(st, service.DefaultPolicy(), c.Now)
	cfg.Registerer = w.reg
	cfg.Backoff = func(int) time.Duration { return 10 * time.Millisecond }
	r, err := platformconsumer.New(d, js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("the consumer did not stop")
		}
	})
	return w
}

func forEachDialect(t *testing.T, fn func(t *testing.T, w *world)) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) { fn(t, start(t, d)) }, outbox.Migrations, platformconsumer.Migrations, store.Migrations)
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// event builds a tenants event at version v.
func (w *world) event(p events.Payload, v int64) envelope.Envelope {
	w.t.Helper()
	return must[envelope.Envelope](w.t)(events.New(p, v, w.clock.Now()))
}

// publish sends e to the TENANTS stream with msgID as Nats-Msg-Id (the event id when empty:
// another id gets a copy past JetStream's duplicate window, as a redelivery would).
func (w *world) publish(e envelope.Envelope, msgID string) {
	w.t.Helper()
	data := must[[]byte](w.t)(envelope.Encode(e))
	if msgID == "" {
		msgID = e.ID
	}
	msg := nats.NewMsg(envelope.Subject(e.Type))
	msg.Data = data
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := w.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID)); err != nil {
		w.t.Fatal(err)
	}
}

// handled counts deliveries of typ with outcome, read from the runner's metrics.
func (w *world) handled(typ, outcome string) float64 {
	w.t.Helper()
	families, err := w.reg.Gather()
	if err != nil {
		w.t.Fatal(err)
	}
	want := map[string]string{"consumer": consumer.Name, "type": typ, "outcome": outcome}
	for _, f := range families {
		if f.GetName() != "zoneops_consumer_events_handled_total" {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if want[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func (w *world) licence(id string) store.LicenceRecord {
	w.t.Helper()
	r, err := w.st.GetLicence(context.Background(), id)
	if err != nil && !errors.Is(err, fault.ErrNotFound) {
		w.t.Fatal(err)
	}
	return r
}

// site registers and notifies zone ISB with a plot carrying one unit, and a bare plot.
func (w *world) site() (*zoning.Zone, *zoning.Plot, *zoning.Unit) {
	w.t.Helper()
	ctx := context.Background()
	z := must[*zoning.Zone](w.t)(w.svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: "ISB", Name: "Islamabad", Province: "islamabad_capital_territory",
		DeveloperTenantID: "0195b3c0-0000-7000-8000-0000000000de"}))
	must[*zoning.Zone](w.t)(w.svc.NotifyZone(ctx, operator, z.ID))
	p := must[*zoning.Plot](w.t)(w.svc.CreatePlot(ctx, operator, z.ID, zoning.PlotInput{Code: "A-1", AreaM2: "4000", LandUse: "it_park"}))
	bare := must[*zoning.Plot](w.t)(w.svc.CreatePlot(ctx, operator, z.ID, zoning.PlotInput{Code: "B-1", AreaM2: "2000", LandUse: "it_park"}))
	b := must[*zoning.Building](w.t)(w.svc.RegisterBuilding(ctx, operator, p.ID, zoning.BuildingInput{Name: "Tower", Floors: 2}))
	u := must[*zoning.Unit](w.t)(w.svc.RegisterUnit(ctx, operator, b.ID, zoning.UnitInput{Floor: 0, AreaM2: "250", Use: "office"}))
	return z, bare, u
}

func (w *world) lease(zoneID string, ref leasing.SpaceRefInput) *leasing.Lease {
	w.t.Helper()
	ctx := context.Background()
	r := must[*leasing.Request](w.t)(w.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: zoneID, Space: &ref}))
	must[*leasing.Request](w.t)(w.svc.OfferSpace(ctx, operator, r.ID, service.OfferInput{Space: ref, Terms: leasing.TermsInput{
		StartDate: "2026-04-01", TermMonths: 24, NoticeMonths: 6, OfferValidUntil: "2026-03-20",
		RentPerM2Month: leasing.MoneyInput{AmountMinor: 100_00, Currency: "PKR"}, Deposit: leasing.MoneyInput{Currency: "PKR"},
	}}))
	return must[*leasing.Lease](w.t)(w.svc.AcceptOffer(ctx, alice, r.ID))
}

func granted(licenceID, zone string) tenants.LicenceGranted {
	return tenants.LicenceGranted{
		LicenceID: licenceID, LicenceNumber: "STZ-ISB-2026-0001", ApplicationID: service.NewID(), TenantID: tenantA,
		Kind: tenants.KindZoneEnterprise, Zone: zone, Sector: "ai", SizeTier: tenants.SizeTiers()[0],
		Commitments: tenants.Commitments{Headcount: 10, Investment: values.Money{AmountMinor: 1, Currency: "PKR"},
			Exports: values.Money{Currency: "PKR"}, RnDSpend: values.Money{Currency: "PKR"}},
		ValidFrom: values.MustParseDate("2026-03-01"), ValidUntil: values.MustParseDate("2036-02-29"), Actor: official,
	}
}

// TestLicenceEventsKeepTheProjection: a grant makes the tenant's licence active, a suspension
// stops its requests, a reinstatement restores them; a duplicate delivery and a suspension
// that arrives after the later reinstatement change nothing.
func TestLicenceEventsKeepTheProjection(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		z, bare, _ := w.site()
		id := service.NewID()
		ask := func() error {
			_, err := w.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: z.ID, Space: &leasing.SpaceRefInput{Kind: "plot", ID: bare.ID}})
			return err
		}
		status := func(s leasing.LicenceStatus, v int64) func() bool {
			return func() bool { r := w.licence(id); return r.Status == s && r.Version == v }
		}

		w.publish(w.event(granted(id, "ISB"), 1), "")
		apitest.Eventually(t, "the licence active", status(leasing.LicenceActive, 1))
		if r := w.licence(id); r.TenantID != tenantA || r.ZoneCode != "ISB" {
			t.Errorf("projection %+v", r)
		}
		if err := ask(); err != nil {
			t.Errorf("a licensed tenant asking for space: %v", err)
		}

		w.publish(w.event(tenants.LicenceSuspended{LicenceID: id, Reason: "late report", Actor: official}, 2), "")
		apitest.Eventually(t, "the licence suspended", status(leasing.LicenceSuspended, 2))
		if err := ask(); !errors.Is(err, leasing.ErrLicenceNotActive) {
			t.Errorf("a suspended tenant asking for space: %v, want ErrLicenceNotActive", err)
		}

		reinstated := w.event(tenants.LicenceReinstated{LicenceID: id, Actor: official}, 3)
		w.publish(reinstated, "")
		apitest.Eventually(t, "the licence reinstated", status(leasing.LicenceActive, 3))

		// The same event again, past JetStream's duplicate window, and a suspension at version
		// 2 arriving after version 3.
		w.publish(reinstated, "again")
		late := w.event(tenants.LicenceSuspended{LicenceID: id, Reason: "late copy", Actor: official}, 2)
		w.publish(late, "")
		apitest.Eventually(t, "the duplicate and the stale event handled", func() bool {
			return w.handled(tenants.TypeLicenceReinstated, "duplicate") == 1 && w.handled(tenants.TypeLicenceSuspended, "stale") == 1
		})
		if r := w.licence(id); r.Status != leasing.LicenceActive || r.Version != 3 {
			t.Errorf("after a duplicate and a stale event: %+v, want active at version 3", r)
		}
		if err := ask(); err != nil {
			t.Errorf("a reinstated tenant asking for space: %v", err)
		}
		// Events that do not concern the projection are processed and change nothing.
		w.publish(w.event(tenants.LicenceShowCauseIssued{LicenceID: id, Reason: "audit", ReplyDue: values.MustParseDate("2026-04-01"), Actor: official}, 4), "")
		apitest.Eventually(t, "show cause handled", func() bool { return w.handled(tenants.TypeLicenceShowCauseIssued, "processed") == 1 })
		if r := w.licence(id); r.Status != leasing.LicenceActive {
			t.Errorf("after show cause: %+v", r)
		}
		// A licence event that allocation has no case for (the licensee's reply) is processed
		// too, not dead-lettered.
		w.publish(w.event(tenants.LicenceShowCauseReplied{LicenceID: id, Reply: "remedied", ReplyDue: values.MustParseDate("2026-04-01"),
			Actor: values.Actor{Subject: "alice", Role: values.RoleTenant}}, 5), "")
		apitest.Eventually(t, "show cause reply handled", func() bool { return w.handled(tenants.TypeLicenceShowCauseReplied, "processed") == 1 })
		if r := w.licence(id); r.Status != leasing.LicenceActive {
			t.Errorf("after the reply: %+v", r)
		}
		if err := ask(); err != nil {
			t.Errorf("after the reply, asking for space: %v", err)
		}
	})
}

// TestRevocationTerminatesTheTenantsLeases: a revocation puts both of the tenant's active
// leases under notice and publishes lease.terminating for each through the outbox; the same
// revocation delivered again changes nothing.
func TestRevocationTerminatesTheTenantsLeases(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		z, bare, u := w.site()
		id := service.NewID()
		w.publish(w.event(granted(id, "ISB"), 1), "")
		apitest.Eventually(t, "the licence active", func() bool { return w.licence(id).Status == leasing.LicenceActive })
		unitLease := w.lease(z.ID, leasing.SpaceRefInput{Kind: "unit", ID: u.ID})
		landLease := w.lease(z.ID, leasing.SpaceRefInput{Kind: "plot", ID: bare.ID})

		var before int
		if err := w.d.GetContext(ctx, &before, `SELECT count(*) FROM outbox`); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(time.Date(2026, 5, 10, 5, 0, 0, 0, time.UTC))
		revoked := w.event(tenants.LicenceRevoked{LicenceID: id, Reason: "fraud", Actor: official}, 2)
		w.publish(revoked, "")
		apitest.Eventually(t, "both leases terminating", func() bool {
			for _, l := range []*leasing.Lease{unitLease, landLease} {
				got, err := w.svc.GetLease(ctx, operator, l.ID)
				if err != nil || got.Status != leasing.LeaseTerminating {
					return false
				}
			}
			return true
		})
		for _, l := range []*leasing.Lease{unitLease, landLease} {
			got := must[*leasing.Lease](t)(w.svc.GetLease(ctx, operator, l.ID))
			if got.Cause != leasing.CauseLicenceRevoked || got.EndsOn.String() != "2026-11-10" || got.NoticeGivenOn.String() != "2026-05-10" {
				t.Errorf("lease %s: cause %s, notice %v, ends %v", l.ID, got.Cause, got.NoticeGivenOn, got.EndsOn)
			}
		}
		var payloads []string
		if err := w.d.SelectContext(ctx, &payloads, `SELECT payload FROM outbox ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		var terminating []string
		for _, p := range payloads[before:] {
			env, payload, err := events.Decode([]byte(p))
			if err != nil {
				t.Fatal(err)
			}
			if env.Type != "zoneops.allocation.lease.terminating.v1" || env.AggregateVersion != 2 {
				t.Errorf("published %s at version %d", env.Type, env.AggregateVersion)
				continue
			}
			term := payload.(allocation.LeaseTerminating)
			if term.Cause != allocation.TerminationLicenceRevoked || term.TenantID != tenantA || term.EndsOn.String() != "2026-11-10" {
				t.Errorf("lease.terminating %+v", term)
			}
			terminating = append(terminating, term.LeaseID)
		}
		if len(terminating) != 2 {
			t.Fatalf("%d lease.terminating events, want 2", len(terminating))
		}

		w.publish(revoked, "again")
		apitest.Eventually(t, "the redelivery handled", func() bool { return w.handled(tenants.TypeLicenceRevoked, "duplicate") == 1 })
		var after int
		if err := w.d.GetContext(ctx, &after, `SELECT count(*) FROM outbox`); err != nil {
			t.Fatal(err)
		}
		if after != before+2 {
			t.Errorf("outbox grew by %d, want 2", after-before)
		}
		if r := w.licence(id); r.Status != leasing.LicenceRevoked {
			t.Errorf("projection %+v", r)
		}
	})
}
