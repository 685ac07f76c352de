package demo

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// inside reports whether p lies strictly inside the closed ring r (ray casting on exact
// micro-degree coordinates; a point on an edge counts as outside).
func inside(p point, r ring) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		// On the edge: collinear and within its box.
		cross := (b.lon-a.lon)*(p.lat-a.lat) - (b.lat-a.lat)*(p.lon-a.lon)
		if cross == 0 && min(a.lon, b.lon) <= p.lon && p.lon <= max(a.lon, b.lon) && min(a.lat, b.lat) <= p.lat && p.lat <= max(a.lat, b.lat) {
			return false
		}
		if (a.lat > p.lat) != (b.lat > p.lat) {
			// x of the edge at p.lat, compared without division.
			lhs := (p.lon - a.lon) * (b.lat - a.lat)
			rhs := (b.lon - a.lon) * (p.lat - a.lat)
			if (b.lat-a.lat > 0 && lhs < rhs) || (b.lat-a.lat < 0 && lhs > rhs) {
				in = !in
			}
		}
	}
	return in
}

// signedArea2 is twice the planar signed area of r in micro-degrees²: positive when r runs
// counter-clockwise.
func signedArea2(r ring) int64 {
	var s int64
	for i := 0; i+1 < len(r); i++ {
		s += r[i].lon*r[i+1].lat - r[i+1].lon*r[i].lat
	}
	return s
}

func TestTheISBBoundaryIsAConvexCounterClockwiseRingAround73E33N(t *testing.T) {
	r := isbBoundary
	if r[0] != r[len(r)-1] {
		t.Fatal("the boundary ring is not closed")
	}
	n := len(r) - 1 // distinct vertices
	for i := range n {
		a, b, c := r[i], r[(i+1)%n], r[(i+2)%n]
		if cross := (b.lon-a.lon)*(c.lat-b.lat) - (b.lat-a.lat)*(c.lon-b.lon); cross <= 0 {
			t.Errorf("turn at vertex %d is not a left turn (cross %d): not convex and counter-clockwise", (i+1)%n, cross)
		}
	}
	if !inside(point{73_000_000, 33_700_000}, r) {
		t.Error("73.0°E 33.7°N is not inside the ISB boundary")
	}
	for _, out := range []point{{73_100_000, 33_700_000}, {73_000_000, 33_600_000}, {72_982_000, 33_688_000}} {
		if inside(out, r) {
			t.Errorf("%v is taken to be inside the ISB boundary", out)
		}
	}
	// A few km across: 3 to 6 km each way.
	if km := areaM2(r) / 1e6; km < 9 || km > 36 {
		t.Errorf("the boundary encloses %.1f km², want a zone a few km across", km)
	}
}

func TestTheISBPlanIsTwelvePlotsInsideTheBoundaryThatDoNotOverlap(t *testing.T) {
	plots := isbPlan()
	if len(plots) != 12 {
		t.Fatalf("%d plots, want 12", len(plots))
	}
	code := regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)
	codes := map[string]bool{}
	uses := map[string]int{}
	for _, p := range plots {
		if !code.MatchString(p.Code) || codes[p.Code] {
			t.Errorf("plot code %q is malformed or repeated", p.Code)
		}
		codes[p.Code] = true
		uses[p.LandUse]++
		if len(p.Ring) != 5 || p.Ring[0] != p.Ring[4] {
			t.Errorf("%s: ring %v is not a closed quadrilateral", p.Code, p.Ring)
		}
		if signedArea2(p.Ring) <= 0 {
			t.Errorf("%s: ring is not counter-clockwise", p.Code)
		}
		for _, v := range p.Ring {
			if !inside(v, isbBoundary) {
				t.Errorf("%s: corner %v is not inside the ISB boundary", p.Code, v)
			}
		}
	}
	if uses["it_park"] == 0 || uses["commercial"] == 0 || uses["green"] == 0 || len(uses) != 3 {
		t.Errorf("land uses %v, want it_park, commercial and green", uses)
	}
	// The plots are boxes: two overlap when their boxes share an interior.
	box := func(r ring) (w, s, e, n int64) { return r[0].lon, r[0].lat, r[2].lon, r[2].lat }
	for i, a := range plots {
		for _, b := range plots[i+1:] {
			aw, as, ae, an := box(a.Ring)
			bw, bs, be, bn := box(b.Ring)
			if aw < be && bw < ae && as < bn && bs < an {
				t.Errorf("%s and %s overlap", a.Code, b.Code)
			}
		}
	}
	byCode := map[string]planPlot{}
	for _, p := range plots {
		byCode[p.Code] = p
	}
	if byCode[towerPlot].LandUse != "it_park" {
		t.Errorf("the tower stands on %s, which is %q, want it_park", towerPlot, byCode[towerPlot].LandUse)
	}
	for _, e := range enterprises {
		if e.Space.OfferPlot == "" {
			continue
		}
		p, ok := byCode[e.Space.OfferPlot]
		if !ok || p.Code == towerPlot || p.LandUse != e.Space.LandUse || p.AreaM2 < e.Space.MinAreaM2 || p.AreaM2 > e.Space.MaxAreaM2 {
			t.Errorf("%s is offered %s (%+v), which does not answer its requirements", e.LegalName, e.Space.OfferPlot, p)
		}
	}
}

// The declared areas agree with an independent, rougher measure (a local equirectangular
// projection), far inside the allocation service's 2% tolerance.
func TestPlotAreasAgreeWithASimpleMeasure(t *testing.T) {
	for _, p := range isbPlan() {
		w, s, e, n := float64(p.Ring[0].lon)/1e6, float64(p.Ring[0].lat)/1e6, float64(p.Ring[2].lon)/1e6, float64(p.Ring[2].lat)/1e6
		lat := (s + n) / 2 * math.Pi / 180
		// Metres per degree on WGS84 at lat (meridian and parallel).
		mLat := 111132.92 - 559.82*math.Cos(2*lat) + 1.175*math.Cos(4*lat)
		mLon := 111412.84*math.Cos(lat) - 93.5*math.Cos(3*lat)
		rough := (e - w) * mLon * (n - s) * mLat
		if d := math.Abs(p.AreaM2-rough) / rough; d > 0.001 {
			t.Errorf("%s: declared %.2f m², a simple measure gives %.2f m² (%.3f%% apart)", p.Code, p.AreaM2, rough, 100*d)
		}
		if p.AreaM2 < 15_000 || p.AreaM2 > 25_000 {
			t.Errorf("%s: %.0f m², want plots of about 1.85 ha", p.Code, p.AreaM2)
		}
	}
}

func TestThePlanIsAGeoJSONFeatureCollectionTheImportReads(t *testing.T) {
	data, err := planGeoJSON(isbPlan())
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string `json:"type"`
			Properties struct {
				Code    string      `json:"code"`
				AreaM2  json.Number `json:"area_m2"`
				LandUse string      `json:"land_use"`
			} `json:"properties"`
			Geometry struct {
				Type        string         `json:"type"`
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 12 {
		t.Fatalf("type %q with %d features, want a FeatureCollection of 12", fc.Type, len(fc.Features))
	}
	twoDecimals := regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)
	for i, f := range fc.Features {
		g := f.Geometry
		if f.Type != "Feature" || g.Type != "Polygon" || len(g.Coordinates) != 1 || len(g.Coordinates[0]) != 5 {
			t.Fatalf("feature %d: %+v is not a Feature with a single-ring Polygon", i, f)
		}
		ring := g.Coordinates[0]
		if ring[0] != ring[4] {
			t.Errorf("feature %d: ring not closed", i)
		}
		for _, c := range ring {
			if c[0] < 72.9 || c[0] > 73.1 || c[1] < 33.6 || c[1] > 33.8 {
				t.Errorf("feature %d: [%v, %v] is not [longitude, latitude] near Islamabad", i, c[0], c[1])
			}
		}
		if f.Properties.Code == "" || f.Properties.LandUse == "" || !twoDecimals.MatchString(f.Properties.AreaM2.String()) {
			t.Errorf("feature %d: properties %+v", i, f.Properties)
		}
	}
}

func TestTheZoneCatalogueHasThreeNotifiedZonesAndOnePlannedInEveryProvince(t *testing.T) {
	zones := zoneCatalogue()
	if len(zones) != 9 {
		t.Fatalf("%d zones, want 9", len(zones))
	}
	// Codes must satisfy both services: tenants takes 2 to 6 letters.
	shape := regexp.MustCompile(`^[A-Z]{2,6}$`)
	codes, provinces := map[string]bool{}, map[string]bool{}
	var notified []string
	for _, z := range zones {
		if !shape.MatchString(z.Code) || codes[z.Code] {
			t.Errorf("zone code %q malformed or repeated", z.Code)
		}
		codes[z.Code] = true
		provinces[z.Province] = true
		if z.Notified {
			notified = append(notified, z.Code)
		} else if !strings.Contains(z.Name, "(planned)") {
			t.Errorf("planned zone %s is named %q", z.Code, z.Name)
		}
		if z.Boundary != nil && signedArea2(z.Boundary) <= 0 {
			t.Errorf("%s: boundary is not counter-clockwise", z.Code)
		}
	}
	if strings.Join(notified, ",") != "ISB,LHR,HRP" {
		t.Errorf("notified zones %v, want ISB, LHR, HRP", notified)
	}
	if len(provinces) != 7 {
		t.Errorf("zones lie in %d provinces and territories, want all 7", len(provinces))
	}
	// UUIDv5 of the zone code: stable across demos and distinct per zone.
	if lhr, hrp := placeholderDeveloper("LHR"), placeholderDeveloper("HRP"); lhr == hrp || lhr != "7b59b2a8-bc21-5161-b589-7966eca29508" {
		t.Errorf("placeholder developers LHR %s, HRP %s", lhr, hrp)
	}
}

func TestApplicationsCarryPaisaAndDistinctCompanies(t *testing.T) {
	all := []company{developer, submittedApplicant, deficientApplicant}
	for _, e := range enterprises {
		all = append(all, e.company)
	}
	phone := regexp.MustCompile(`^\+92[0-9]{9,12}$`)
	seen := map[string]bool{}
	for _, c := range all {
		a := c.application()
		for _, id := range []string{a.Applicant.LegalName, a.Applicant.RegistrationNumber, a.Applicant.TaxNumber} {
			if seen[id] {
				t.Errorf("%s: %q is shared with another company", c.LegalName, id)
			}
			seen[id] = true
		}
		if p := strings.ReplaceAll(a.Applicant.Contact.Phone, " ", ""); !phone.MatchString(p) {
			t.Errorf("%s: phone %q is not a Pakistani number in international form", c.LegalName, a.Applicant.Contact.Phone)
		}
		m := a.Commitments
		for _, x := range []money{m.Investment, m.Exports, m.RnDSpend} {
			if x.Currency != "PKR" || x.AmountMinor <= 0 || x.AmountMinor%100 != 0 {
				t.Errorf("%s: %+v is not whole rupees in paisa", c.LegalName, x)
			}
		}
	}
	if m := pkr(1_500); m.AmountMinor != 150_000 {
		t.Errorf("PKR 1,500 = %d paisa, want 150000", m.AmountMinor)
	}
}

func date(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, karachi())
	if err != nil {
		panic(err)
	}
	return t
}

func TestOfferTermsFollowTheLeasingRules(t *testing.T) {
	office := space{Unit: "301", RentPerM2: 2_150, TermMonths: 36}
	for _, c := range []struct{ today, valid, start string }{
		{"2025-06-10", "2025-07-10", "2025-08-01"},
		{"2025-12-15", "2026-01-14", "2026-02-01"},
		{"2024-01-31", "2024-03-01", "2024-04-01"},
	} {
		got := offerTerms(office, 1150, date(c.today))
		if got.OfferValidUntil != c.valid || got.StartDate != c.start {
			t.Errorf("today %s: valid until %s, start %s; want %s and %s", c.today, got.OfferValidUntil, got.StartDate, c.valid, c.start)
		}
		// ParseTerms: the offer lapses no later than the lease starts.
		if got.OfferValidUntil > got.StartDate {
			t.Errorf("today %s: the offer outlives the start", c.today)
		}
	}
	got := offerTerms(office, 1150, date("2025-06-10"))
	if want := (money{AmountMinor: 215_000, Currency: "PKR"}); got.RentPerM2Month != want {
		t.Errorf("rent %+v, want %+v", got.RentPerM2Month, want)
	}
	// Three months' rent on 1,150 m² at PKR 2,150: PKR 7,417,500.
	if got.Deposit.AmountMinor != 741_750_000 || got.NoticeMonths != 3 || got.TermMonths != 36 {
		t.Errorf("deposit %d, notice %d, term %d", got.Deposit.AmountMinor, got.NoticeMonths, got.TermMonths)
	}
	// Land starts today on a same-day offer, so that the construction start can be recorded.
	land := offerTerms(space{LandUse: "it_park", RentPerM2: 45, TermMonths: 360}, 18_480.37, date("2025-06-10"))
	if land.StartDate != "2025-06-10" || land.OfferValidUntil != "2025-06-10" {
		t.Errorf("land: start %s, valid until %s; want both today", land.StartDate, land.OfferValidUntil)
	}
	if land.Deposit.AmountMinor != 4500*1_848_037*3/100 {
		t.Errorf("land deposit %d", land.Deposit.AmountMinor)
	}
}

func TestLicencePendingIsOnlyTheMissingLicence(t *testing.T) {
	rule := func(detail string) error {
		return &APIError{Status: http.StatusUnprocessableEntity, Problem: httpx.Problem{Type: httpx.TypeBusinessRule, Detail: detail}}
	}
	if !licencePending(rule("submit request: tenant x holds no licence for zone ISB: the tenant's licence is not active")) {
		t.Error("a missing licence is not seen as pending")
	}
	for _, err := range []error{
		rule("zone ISB is planned"),
		&APIError{Status: http.StatusBadRequest, Problem: httpx.Problem{Type: httpx.TypeValidation, Detail: "licence"}},
		errors.New("licence"),
	} {
		if licencePending(err) {
			t.Errorf("%v is taken for a pending licence", err)
		}
	}
}

// fakeServices answers the reads of a system that is already seeded, and records any write.
type fakeServices struct {
	mu     sync.Mutex
	writes []string
	ready  bool
}

func (f *fakeServices) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet {
		f.mu.Lock()
		f.writes = append(f.writes, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if r.URL.Path != "/readyz" && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	switch p := r.URL.Path; {
	case p == "/readyz":
		if !f.ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte(`{"status":"ok"}`))
	case p == "/v1/zones":
		w.Write([]byte(`{"items":[{"id":"zone-khi","code":"KHI","status":"planned"},{"id":"zone-isb","code":"ISB","status":"notified"}]}`))
	case strings.HasSuffix(p, "/occupancy"):
		w.Write([]byte(`{"total_area_m2":1000,"leased_area_m2":250,"occupancy_ratio":0.25}`))
	case p == "/v1/licences":
		w.Write([]byte(`{"items":[{"id":"l1","number":"STZ-ISB-2026-0001","tenant_id":"t1","holder_name":"Rawal Technology Parks (Pvt) Ltd","kind":"zone_developer"}]}`))
	default:
		w.Write([]byte(`{"items":[]}`))
	}
}

func TestSeedLeavesASeededSystemAlone(t *testing.T) {
	f := &fakeServices{ready: true}
	srv := httptest.NewServer(f)
	defer srv.Close()
	rep, err := Seed(context.Background(), Config{TenantsURL: srv.URL, AllocationURL: srv.URL + "/", Secret: []byte(app.DevJWTSecret)})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.AlreadySeeded || rep.ZoneID != "zone-isb" || rep.Zones != 2 || rep.ZonesNotified != 1 || rep.ZonesPlanned != 1 || len(rep.Licences) != 1 || rep.OccupancyRatio != 0.25 {
		t.Errorf("report %+v", rep)
	}
	if len(f.writes) > 0 {
		t.Errorf("a seeded system was changed: %v", f.writes)
	}
	sum := rep.Summary()
	for _, want := range []string{"already seeded", "2 zones (1 notified, 1 planned)", "STZ-ISB-2026-0001", "zonectl plots list ISB", "25.0%"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}

func TestSeedGivesUpOnAServiceThatIsNotReady(t *testing.T) {
	srv := httptest.NewServer(&fakeServices{})
	defer srv.Close()
	_, err := Seed(context.Background(), Config{TenantsURL: srv.URL, AllocationURL: srv.URL, Secret: []byte(app.DevJWTSecret), ReadyTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "not ready") {
		t.Fatalf("Seed = %v, want a not-ready error", err)
	}
	if _, err := Seed(context.Background(), Config{Secret: []byte(app.DevJWTSecret)}); err == nil {
		t.Error("Seed without URLs succeeded")
	}
	if _, err := Seed(context.Background(), Config{TenantsURL: srv.URL, AllocationURL: srv.URL, Secret: []byte("short")}); err == nil {
		t.Error("Seed with a secret too short to sign with succeeded")
	}
}

func TestTheSummaryOfAFreshSeed(t *testing.T) {
	rep := Report{ZoneID: "z", Zones: 9, ZonesNotified: 3, ZonesPlanned: 6, Plots: 12, Units: 6, Leases: 3, ApplicationsWaiting: 2,
		Licences: make([]Licence, 4)}
	sum := rep.Summary()
	if !strings.HasPrefix(sum, "demo data ready: 9 zones (3 notified, 6 planned), 12 plots and 6 units in ISB, 4 licences, 3 leases, 2 applications waiting\n") {
		t.Errorf("summary:\n%s", sum)
	}
	if strings.Contains(sum, "already seeded") {
		t.Error("a fresh seed says it was already seeded")
	}
}
