// Package demo seeds a running zoneops with the zones of Pakistan's Special Technology Zones
// Authority and a small, realistic story in the Islamabad zone: a zone developer licensed and
// laying out plots and a building, three zone enterprises licensed and leasing space, and two
// applications waiting for the operator.
//
// Everything goes through the services' public HTTP APIs with development tokens, so every
// change is validated by the real rules and published as events; nothing is written to a
// database directly. Seeding is idempotent: a system that already has the zone ISB is left
// alone.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// Config says where the services are and how to sign the tokens the seed acts with.
type Config struct {
	// TenantsURL and AllocationURL are the base URLs of the two HTTP APIs.
	TenantsURL, AllocationURL string
	// Secret is the HS256 secret the services verify development tokens with.
	Secret []byte
	// Now is the clock that dates tokens, offers and milestones (time.Now when nil). The
	// services judge those dates by their own clocks, so it must agree with theirs.
	Now func() time.Time
	// Logger receives one line per step (discarded when nil).
	Logger *slog.Logger
	// HTTPClient makes the calls (a client with a 30 s timeout when nil).
	HTTPClient *http.Client
	// ReadyTimeout bounds the wait for both services' /readyz (60 s when zero).
	ReadyTimeout time.Duration
	// LicenceWait bounds the wait for the allocation service to learn of a licence from the
	// tenants service's events (60 s when zero).
	LicenceWait time.Duration
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.ReadyTimeout <= 0 {
		c.ReadyTimeout = 60 * time.Second
	}
	if c.LicenceWait <= 0 {
		c.LicenceWait = 60 * time.Second
	}
	c.TenantsURL = strings.TrimRight(c.TenantsURL, "/")
	c.AllocationURL = strings.TrimRight(c.AllocationURL, "/")
	return c
}

// Licence is an active licence of the demo zone, as the summary lists it.
type Licence struct {
	Number, Kind, Holder, TenantID string
}

// Report is what the demo data amount to, read back from the APIs after seeding (or, when the
// data were there already, as they are now).
type Report struct {
	// AlreadySeeded says the zone ISB existed, so nothing was added.
	AlreadySeeded bool
	// ZoneID is the id of the zone ISB.
	ZoneID string
	// Zones counts every registered zone, and those notified and planned among them.
	Zones, ZonesNotified, ZonesPlanned int
	// Plots and Units count the live plots and the units of ISB.
	Plots, Units int
	// Licences are the active licences for ISB, in the order the list returns them.
	Licences []Licence
	// Leases counts the active leases in ISB.
	Leases int
	// ApplicationsWaiting counts applications in every zone that wait for the operator or the
	// applicant (submitted, resubmitted or deficient).
	ApplicationsWaiting int
	// LeasedAreaM2, TotalAreaM2 and OccupancyRatio are ISB's occupancy.
	LeasedAreaM2, TotalAreaM2, OccupancyRatio float64
}

// Summary is the short text `zoneops run --demo` prints: what is there, who holds the
// licences, and zonectl commands to look at it.
func (r Report) Summary() string {
	var b strings.Builder
	if r.AlreadySeeded {
		b.WriteString("demo data already seeded (zone ISB exists, nothing added): ")
	} else {
		b.WriteString("demo data ready: ")
	}
	fmt.Fprintf(&b, "%d zones (%d notified, %d planned), %d plots and %d units in ISB, %d licences, %d leases, %d applications waiting\n",
		r.Zones, r.ZonesNotified, r.ZonesPlanned, r.Plots, r.Units, len(r.Licences), r.Leases, r.ApplicationsWaiting)
	fmt.Fprintf(&b, "  zone ISB is %s; %.0f of %.0f m² let (%.1f%%)\n", r.ZoneID, r.LeasedAreaM2, r.TotalAreaM2, 100*r.OccupancyRatio)
	for _, l := range r.Licences {
		fmt.Fprintf(&b, "  %-18s %-15s %-36s tenant %s\n", l.Number, l.Kind, l.Holder, l.TenantID)
	}
	// Zones are named by code everywhere, so the hints stay readable and can be typed.
	b.WriteString(`try (zonectl is ./bin/zonectl, which make run builds):
  export ZONEOPS_TOKEN=$(zonectl token --role operator)
  zonectl zones list
  zonectl plots list ISB
  zonectl units list ISB
  zonectl zones occupancy ISB
  zonectl leases list --zone ISB
  zonectl licences list
  zonectl applications list --status submitted,deficient
  zonectl events tail --from-start

`)
	return b.String()
}

// Seed fills the running services with the demo data, or does nothing when the zone ISB is
// already registered, and reports what is there. It first waits for both services to be ready.
// On error the data may be partly seeded; the error names the step.
func Seed(ctx context.Context, cfg Config) (Report, error) {
	cfg = cfg.withDefaults()
	if cfg.TenantsURL == "" || cfg.AllocationURL == "" {
		return Report{}, errors.New("demo: the tenants and allocation URLs are required")
	}
	s := &seeder{cfg: cfg, log: cfg.Logger, loc: karachi()}
	var err error
	if s.operator, err = s.token(auth.Principal{Subject: "demo-operator", Role: auth.Operator}); err != nil {
		return Report{}, err
	}
	if s.developer, err = s.token(auth.Principal{Subject: "demo-developer", Role: auth.ZoneDeveloper, ZoneCodes: []string{DemoZone}}); err != nil {
		return Report{}, err
	}
	s.tenants = api{http: cfg.HTTPClient, base: cfg.TenantsURL}
	s.alloc = api{http: cfg.HTTPClient, base: cfg.AllocationURL}

	for _, a := range []api{s.tenants, s.alloc} {
		if err := waitReady(ctx, a, cfg.ReadyTimeout); err != nil {
			return Report{}, fmt.Errorf("demo: %w", err)
		}
	}
	zone, found, err := s.findZone(ctx, DemoZone)
	if err != nil {
		return Report{}, fmt.Errorf("demo: look for zone %s: %w", DemoZone, err)
	}
	if found {
		s.log.Info("demo data already seeded", "zone", DemoZone, "zone_id", zone.ID)
		rep, err := s.census(ctx, zone.ID)
		rep.AlreadySeeded = true
		return rep, err
	}
	zoneID, err := s.seed(ctx)
	if err != nil {
		return Report{}, err
	}
	return s.census(ctx, zoneID)
}

type seeder struct {
	cfg                 Config
	log                 *slog.Logger
	loc                 *time.Location
	tenants, alloc      api
	operator, developer string
}

// karachi is the zones' time zone, in which offers and milestones are dated.
func karachi() *time.Location {
	if loc, err := time.LoadLocation("Asia/Karachi"); err == nil {
		return loc
	}
	return time.FixedZone("PKT", 5*60*60)
}

func (s *seeder) token(p auth.Principal) (string, error) {
	tok, err := auth.Mint(s.cfg.Secret, p, time.Hour, s.cfg.Now())
	if err != nil {
		return "", fmt.Errorf("demo: token for %s: %w", p.Subject, err)
	}
	return tok, nil
}

// waitReady polls /readyz until the service answers 200, for at most limit.
func waitReady(ctx context.Context, a api, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		err := a.get(ctx, "/readyz", nil, nil)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s is not ready after %s: %w", a.base, limit, err)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// What the seed reads back from the APIs.
type (
	zoneRec struct {
		ID     string `json:"id"`
		Code   string `json:"code"`
		Status string `json:"status"`
	}
	plotRec struct {
		ID      string  `json:"id"`
		Code    string  `json:"code"`
		LandUse string  `json:"land_use"`
		AreaM2  float64 `json:"area_m2"`
	}
	unitRec struct {
		ID     string  `json:"id"`
		Label  string  `json:"label"`
		AreaM2 float64 `json:"area_m2"`
	}
	idRec struct {
		ID string `json:"id"`
	}
	licenceRec struct {
		ID         string `json:"id"`
		Number     string `json:"number"`
		TenantID   string `json:"tenant_id"`
		HolderName string `json:"holder_name"`
		Kind       string `json:"kind"`
	}
	leaseRec struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	occupancyRec struct {
		TotalAreaM2    float64 `json:"total_area_m2"`
		LeasedAreaM2   float64 `json:"leased_area_m2"`
		OccupancyRatio float64 `json:"occupancy_ratio"`
	}
)

func (s *seeder) findZone(ctx context.Context, code string) (zoneRec, bool, error) {
	zones, err := list[zoneRec](ctx, s.alloc.as(s.operator), "/v1/zones", nil)
	if err != nil {
		return zoneRec{}, false, err
	}
	for _, z := range zones {
		if z.Code == code {
			return z, true, nil
		}
	}
	return zoneRec{}, false, nil
}

// seed runs the whole story and returns the id of ISB.
func (s *seeder) seed(ctx context.Context) (string, error) {
	op := s.tenants.as(s.operator)

	// The zone developer is licensed before its zone is registered: the zone names it.
	devID := newTenantID()
	devLicence, err := s.licence(ctx, developer, devID)
	if err != nil {
		return "", fmt.Errorf("demo: licence the zone developer: %w", err)
	}
	s.log.Info("demo: zone developer licensed", "licence", devLicence.Number, "tenant_id", devID)

	zoneIDs := map[string]string{}
	for _, z := range zoneCatalogue() {
		id, err := s.registerZone(ctx, z, devID)
		if err != nil {
			return "", fmt.Errorf("demo: register zone %s: %w", z.Code, err)
		}
		zoneIDs[z.Code] = id
	}
	isb := zoneIDs[DemoZone]
	s.log.Info("demo: zones registered", "zones", len(zoneIDs), "isb", isb)

	plots, units, err := s.layOut(ctx, isb)
	if err != nil {
		return "", err
	}
	s.log.Info("demo: ISB laid out", "plots", len(plots), "units", len(units))

	type licensed struct {
		enterprise
		tenantID string
		token    string
	}
	var firms []licensed
	for _, e := range enterprises {
		id := newTenantID()
		l, err := s.licence(ctx, e.company, id)
		if err != nil {
			return "", fmt.Errorf("demo: licence %s: %w", e.LegalName, err)
		}
		tok, err := s.token(auth.Principal{Subject: "demo-" + id, Role: auth.Tenant, TenantID: id})
		if err != nil {
			return "", err
		}
		firms = append(firms, licensed{enterprise: e, tenantID: id, token: tok})
		s.log.Info("demo: enterprise licensed", "company", e.LegalName, "licence", l.Number, "tenant_id", id)
	}

	// The operator's queue: one application waiting for a decision, one sent back.
	if _, err := s.apply(ctx, submittedApplicant, newTenantID()); err != nil {
		return "", fmt.Errorf("demo: application of %s: %w", submittedApplicant.LegalName, err)
	}
	app, err := s.apply(ctx, deficientApplicant, newTenantID())
	if err != nil {
		return "", fmt.Errorf("demo: application of %s: %w", deficientApplicant.LegalName, err)
	}
	today := s.today()
	body := struct {
		Reason   string `json:"reason"`
		ReplyDue string `json:"reply_due"`
	}{deficiencyReason, day(today.AddDate(0, 0, 14))}
	if err := op.post(ctx, "/v1/applications/"+url.PathEscape(app)+"/deficiencies", body, nil); err != nil {
		return "", fmt.Errorf("demo: note the deficiency of %s: %w", deficientApplicant.LegalName, err)
	}

	for _, f := range firms {
		if err := s.lease(ctx, isb, f.enterprise, f.token, plots, units, today); err != nil {
			return "", fmt.Errorf("demo: lease space to %s: %w", f.LegalName, err)
		}
	}
	return isb, nil
}

func newTenantID() string { return uuid.Must(uuid.NewV7()).String() }

// apply creates and submits c's application as tenant tenantID and returns its id.
func (s *seeder) apply(ctx context.Context, c company, tenantID string) (string, error) {
	tok, err := s.token(auth.Principal{Subject: "demo-" + tenantID, Role: auth.Tenant, TenantID: tenantID})
	if err != nil {
		return "", err
	}
	t := s.tenants.as(tok)
	var app idRec
	if err := t.post(ctx, "/v1/applications", c.application(), &app); err != nil {
		return "", err
	}
	if err := t.post(ctx, "/v1/applications/"+url.PathEscape(app.ID)+"/submit", nil, nil); err != nil {
		return "", err
	}
	return app.ID, nil
}

// licence takes c's application through submission and the operator's approval.
func (s *seeder) licence(ctx context.Context, c company, tenantID string) (licenceRec, error) {
	app, err := s.apply(ctx, c, tenantID)
	if err != nil {
		return licenceRec{}, err
	}
	var l licenceRec
	err = s.tenants.as(s.operator).post(ctx, "/v1/applications/"+url.PathEscape(app)+"/approve", nil, &l)
	return l, err
}

type zoneBody struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Province          string   `json:"province"`
	TimeZone          string   `json:"time_zone"`
	Boundary          *polygon `json:"boundary,omitempty"`
	DeveloperTenantID string   `json:"developer_tenant_id"`
}

// registerZone registers z (ISB run by devID, the others by their placeholder developers) and
// notifies it when it is one of the notified zones.
func (s *seeder) registerZone(ctx context.Context, z zoneSpec, devID string) (string, error) {
	op := s.alloc.as(s.operator)
	body := zoneBody{Code: z.Code, Name: z.Name, Province: z.Province, TimeZone: "Asia/Karachi", DeveloperTenantID: devID}
	if z.Code != DemoZone {
		body.DeveloperTenantID = placeholderDeveloper(z.Code)
	}
	if z.Boundary != nil {
		g := z.Boundary.geometry()
		body.Boundary = &g
	}
	var rec zoneRec
	if err := op.post(ctx, "/v1/zones", body, &rec); err != nil {
		return "", err
	}
	if z.Notified {
		if err := op.post(ctx, "/v1/zones/"+url.PathEscape(rec.ID)+"/notify", nil, nil); err != nil {
			return "", err
		}
	}
	return rec.ID, nil
}

// layOut imports ISB's plot plan and puts up the tower with its units, as the developer.
// It returns the plots by code and the units by label.
func (s *seeder) layOut(ctx context.Context, zoneID string) (map[string]plotRec, map[string]unitRec, error) {
	dev := s.alloc.as(s.developer)
	plan, err := planGeoJSON(isbPlan())
	if err != nil {
		return nil, nil, err
	}
	var imported struct {
		Items []plotRec `json:"items"`
	}
	if err := dev.post(ctx, "/v1/zones/"+url.PathEscape(zoneID)+"/plots/import", raw{"application/geo+json", plan}, &imported); err != nil {
		return nil, nil, fmt.Errorf("demo: import the ISB plot plan: %w", err)
	}
	plots := map[string]plotRec{}
	for _, p := range imported.Items {
		plots[p.Code] = p
	}
	tower, ok := plots[towerPlot]
	if !ok {
		return nil, nil, fmt.Errorf("demo: the imported plan has no plot %s", towerPlot)
	}
	var building idRec
	b := struct {
		Name      string `json:"name"`
		Floors    int    `json:"floors"`
		Basements int    `json:"basements"`
	}{towerName, towerFloors, towerBasements}
	if err := dev.post(ctx, "/v1/plots/"+url.PathEscape(tower.ID)+"/buildings", b, &building); err != nil {
		return nil, nil, fmt.Errorf("demo: register %s: %w", towerName, err)
	}
	units := map[string]unitRec{}
	for _, u := range towerUnits {
		body := struct {
			Label  string `json:"label"`
			Floor  int    `json:"floor"`
			AreaM2 rawNum `json:"area_m2"`
			Use    string `json:"use"`
		}{u.Label, u.Floor, rawNum(u.AreaM2), u.Use}
		var rec unitRec
		if err := dev.post(ctx, "/v1/buildings/"+url.PathEscape(building.ID)+"/units", body, &rec); err != nil {
			return nil, nil, fmt.Errorf("demo: register unit %s: %w", u.Label, err)
		}
		units[rec.Label] = rec
	}
	return plots, units, nil
}

// rawNum is a decimal written into JSON as a number, exactly as given.
type rawNum string

func (n rawNum) MarshalJSON() ([]byte, error) { return []byte(n), nil }

// The allocation request and offer bodies (leasing.RequestInput, service.OfferInput).
type (
	spaceRef struct {
		Kind string `json:"kind"`
		ID   string `json:"id"`
	}
	requirements struct {
		LandUse   string  `json:"land_use"`
		MinAreaM2 float64 `json:"min_area_m2"`
		MaxAreaM2 float64 `json:"max_area_m2"`
	}
	requestBody struct {
		ZoneID       string        `json:"zone_id"`
		Space        *spaceRef     `json:"space,omitempty"`
		Requirements *requirements `json:"requirements,omitempty"`
	}
	terms struct {
		StartDate       string `json:"start_date"`
		TermMonths      int    `json:"term_months"`
		RentPerM2Month  money  `json:"rent_per_m2_month"`
		Deposit         money  `json:"deposit"`
		NoticeMonths    int    `json:"notice_months"`
		OfferValidUntil string `json:"offer_valid_until"`
	}
	offerBody struct {
		Space spaceRef `json:"space"`
		Terms terms    `json:"terms"`
	}
)

// offerTerms are the developer's terms for a space of areaM2: the rent asked, three months'
// rent as deposit and three months' notice. Built space is offered for 30 days from today and
// let from the first of the month after that. Land is let from today on an offer accepted the
// same day, so that the lessee can already report its construction start (a milestone may be
// neither before the lease starts nor in the future, and an offer must lapse by the start).
func offerTerms(sp space, areaM2 float64, today time.Time) terms {
	rent := pkr(sp.RentPerM2)
	areaCenti := int64(areaM2*100 + 0.5)
	t := terms{
		TermMonths: sp.TermMonths, RentPerM2Month: rent, NoticeMonths: 3,
		Deposit: money{AmountMinor: rent.AmountMinor * areaCenti * 3 / 100, Currency: rent.Currency},
	}
	if sp.Unit == "" {
		t.StartDate, t.OfferValidUntil = day(today), day(today)
		return t
	}
	valid := today.AddDate(0, 0, 30)
	t.OfferValidUntil = day(valid)
	t.StartDate = day(time.Date(valid.Year(), valid.Month()+1, 1, 0, 0, 0, 0, valid.Location()))
	return t
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// today is the legal date in zone time, at midnight.
func (s *seeder) today() time.Time {
	now := s.cfg.Now().In(s.loc)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
}

// lease takes an enterprise from its request for space to a lease: the request (once the
// allocation service knows of its licence), the developer's offer, the tenant's acceptance,
// and for land the construction start.
func (s *seeder) lease(ctx context.Context, zoneID string, e enterprise, token string, plots map[string]plotRec, units map[string]unitRec, today time.Time) error {
	t := s.alloc.as(token)
	dev := s.alloc.as(s.developer)
	req := requestBody{ZoneID: zoneID}
	var offered spaceRef
	var area float64
	if e.Space.Unit != "" {
		u, ok := units[e.Space.Unit]
		if !ok {
			return fmt.Errorf("no unit %s", e.Space.Unit)
		}
		offered, area = spaceRef{Kind: "unit", ID: u.ID}, u.AreaM2
		req.Space = &offered
	} else {
		p, ok := plots[e.Space.OfferPlot]
		if !ok {
			return fmt.Errorf("no plot %s", e.Space.OfferPlot)
		}
		offered, area = spaceRef{Kind: "plot", ID: p.ID}, p.AreaM2
		req.Requirements = &requirements{LandUse: e.Space.LandUse, MinAreaM2: e.Space.MinAreaM2, MaxAreaM2: e.Space.MaxAreaM2}
	}
	r, err := s.submitRequest(ctx, t, req)
	if err != nil {
		return err
	}
	if err := dev.post(ctx, "/v1/requests/"+url.PathEscape(r.ID)+"/offer", offerBody{Space: offered, Terms: offerTerms(e.Space, area, today)}, nil); err != nil {
		return fmt.Errorf("offer: %w", err)
	}
	var l leaseRec
	if err := t.post(ctx, "/v1/requests/"+url.PathEscape(r.ID)+"/accept", nil, &l); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if e.Space.Milestone {
		m := struct {
			Milestone string `json:"milestone"`
			On        string `json:"on"`
		}{"construction_started", day(today)}
		if err := dev.post(ctx, "/v1/leases/"+url.PathEscape(l.ID)+"/milestones", m, nil); err != nil {
			return fmt.Errorf("record construction start: %w", err)
		}
	}
	s.log.Info("demo: lease made", "company", e.LegalName, "space", e.Space.description, "lease_id", l.ID)
	return nil
}

// submitRequest submits a request for space. The allocation service learns of licences only
// from the tenants service's events, so a request made right after the approval may be
// refused for want of a licence; it is retried until the licence arrives, for at most
// LicenceWait.
func (s *seeder) submitRequest(ctx context.Context, t api, body requestBody) (idRec, error) {
	deadline := time.Now().Add(s.cfg.LicenceWait)
	for attempt := 1; ; attempt++ {
		var r idRec
		err := t.post(ctx, "/v1/requests", body, &r)
		if err == nil {
			return r, nil
		}
		if !licencePending(err) {
			return r, fmt.Errorf("request space: %w", err)
		}
		if time.Now().After(deadline) {
			return r, fmt.Errorf("request space: the allocation service did not learn of the licence within %s: %w", s.cfg.LicenceWait, err)
		}
		if attempt == 1 {
			s.log.Debug("demo: waiting for the allocation service to learn of the licence", "zone_id", body.ZoneID)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return r, err
		}
	}
}

// licencePending reports whether err is the allocation service refusing a request because it
// holds no active licence of the tenant (yet).
func licencePending(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusUnprocessableEntity &&
		e.Problem.Type == httpx.TypeBusinessRule && strings.Contains(e.Problem.Detail, "licence")
}

// census reads back what the demo data amount to.
func (s *seeder) census(ctx context.Context, zoneID string) (Report, error) {
	rep := Report{ZoneID: zoneID}
	alloc, ten := s.alloc.as(s.operator), s.tenants.as(s.operator)
	zones, err := list[zoneRec](ctx, alloc, "/v1/zones", nil)
	if err != nil {
		return rep, fmt.Errorf("demo: count zones: %w", err)
	}
	rep.Zones = len(zones)
	for _, z := range zones {
		switch z.Status {
		case "notified":
			rep.ZonesNotified++
		case "planned":
			rep.ZonesPlanned++
		}
	}
	base := "/v1/zones/" + url.PathEscape(zoneID)
	plots, err := list[plotRec](ctx, alloc, base+"/plots", nil)
	if err != nil {
		return rep, fmt.Errorf("demo: count plots: %w", err)
	}
	units, err := list[unitRec](ctx, alloc, base+"/units", nil)
	if err != nil {
		return rep, fmt.Errorf("demo: count units: %w", err)
	}
	rep.Plots, rep.Units = len(plots), len(units)
	leases, err := list[leaseRec](ctx, alloc, "/v1/leases", url.Values{"zone_id": {zoneID}, "status": {"active"}})
	if err != nil {
		return rep, fmt.Errorf("demo: count leases: %w", err)
	}
	rep.Leases = len(leases)
	var occ occupancyRec
	if err := alloc.get(ctx, base+"/occupancy", nil, &occ); err != nil {
		return rep, fmt.Errorf("demo: occupancy: %w", err)
	}
	rep.LeasedAreaM2, rep.TotalAreaM2, rep.OccupancyRatio = occ.LeasedAreaM2, occ.TotalAreaM2, occ.OccupancyRatio
	licences, err := list[licenceRec](ctx, ten, "/v1/licences", url.Values{"zone": {DemoZone}, "status": {"active"}})
	if err != nil {
		return rep, fmt.Errorf("demo: list licences: %w", err)
	}
	for _, l := range licences {
		rep.Licences = append(rep.Licences, Licence{Number: l.Number, Kind: l.Kind, Holder: l.HolderName, TenantID: l.TenantID})
	}
	waiting, err := list[idRec](ctx, ten, "/v1/applications", url.Values{"status": {"submitted,resubmitted,deficient"}})
	if err != nil {
		return rep, fmt.Errorf("demo: count applications: %w", err)
	}
	rep.ApplicationsWaiting = len(waiting)
	return rep, nil
}
