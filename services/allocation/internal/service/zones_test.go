package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// TestZonesAreRegisteredAndNotifiedByTheAuthority: only operators register and notify zones;
// bad input names every bad field; a code is registered once; each change publishes its
// event at the zone's new version.
func TestZonesAreRegisteredAndNotifiedByTheAuthority(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		in := zoning.ZoneInput{Code: "ISB", Name: "Islamabad STZ", Province: "islamabad_capital_territory", DeveloperTenantID: devID}
		_, err := f.svc.RegisterZone(ctx, developer(), in)
		wantKind(t, "a developer registering", err, fault.ErrForbidden)
		_, err = f.svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: "isb", Province: "mars", DeveloperTenantID: "acme"})
		wantFields(t, "bad registration", err, "code", "name", "province", "developer_tenant_id")

		z := f.zone(t, "ISB")
		if z.Status != zoning.ZoneNotified || z.Version != 2 || z.TimeZone != "Asia/Karachi" {
			t.Errorf("zone %+v", z)
		}
		evs := f.events(t, 0)
		if !slices.Equal(types(evs), []string{"zone.registered", "zone.status_changed"}) || evs[0].Version != 1 || evs[1].Version != 2 || evs[1].Aggregate != z.ID {
			t.Fatalf("events %+v", evs)
		}
		if ch := evs[1].Payload.(allocation.ZoneStatusChanged); ch.From != "planned" || ch.To != "notified" || ch.Actor.Subject != "olivia" {
			t.Errorf("status change %+v", ch)
		}
		_, err = f.svc.RegisterZone(ctx, operator, in)
		wantKind(t, "ISB again", err, fault.ErrConflict, "ISB")

		_, err = f.svc.DenotifyZone(ctx, operator, z.ID, "  ")
		wantFields(t, "denotify without a reason", err, "reason")
		z = must[*zoning.Zone](t)(f.svc.DenotifyZone(ctx, operator, z.ID, "merged into LHR"))
		if ch := f.events(t, 2)[0].Payload.(allocation.ZoneStatusChanged); ch.To != "denotified" || ch.Reason != "merged into LHR" {
			t.Errorf("denotified %+v", ch)
		}
		_, err = f.svc.NotifyZone(ctx, operator, z.ID)
		wantKind(t, "notify a denotified zone", err, fault.ErrConflict, "denotified")
		_, err = f.svc.NotifyZone(ctx, operator, service.NewID())
		wantKind(t, "notify an unknown zone", err, fault.ErrNotFound)

		if got := must[*zoning.Zone](t)(f.svc.GetZone(ctx, viewer, z.ID)); got.Status != zoning.ZoneDenotified {
			t.Errorf("viewer reads %s", got.Status)
		}
		page := must[service.Page[*zoning.Zone]](t)(f.svc.ListZones(ctx, alice, service.ZoneQuery{Statuses: []zoning.ZoneStatus{zoning.ZoneDenotified}}))
		if len(page.Items) != 1 || page.Items[0].ID != z.ID {
			t.Errorf("denotified zones %v", page.Items)
		}
		_, err = f.svc.ListZones(ctx, alice, service.ZoneQuery{Statuses: []zoning.ZoneStatus{"gone"}, Province: "mars"})
		wantFields(t, "bad zone filter", err, "statuses[0]", "province")
	})
}

// TestAZonePlanIsDrawnCutAndJoined runs the plot use cases in one zone: overlaps and reused
// codes are conflicts naming the other plot, an import is all or nothing, subdivision and
// merger retire their sources, and the plan lists and exports live plots only.
func TestAZonePlanIsDrawnCutAndJoined(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		z := f.zone(t, "ISB")
		dev := developer(z.ID)
		const side = 0.001
		_, err := f.svc.CreatePlot(ctx, developer("another-zone"), z.ID, squareInput(t, "A-1", 73, 33.6, side))
		wantKind(t, "a developer of another zone", err, fault.ErrForbidden)
		_, err = f.svc.CreatePlot(ctx, dev, z.ID, zoning.PlotInput{AreaM2: "12.345", LandUse: "moon"})
		wantFields(t, "bad plot", err, "code", "area_m2", "land_use")

		a1 := must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, squareInput(t, "A-1", 73, 33.6, side)))
		since := f.outboxLen(t)
		_, err = f.svc.CreatePlot(ctx, dev, z.ID, squareInput(t, "A-2", 73.0005, 33.6005, side))
		wantKind(t, "an overlapping plot", err, zoning.ErrOverlap, "A-1", a1.ID)
		_, err = f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput("A-1", 500))
		wantKind(t, "a code used already", err, zoning.ErrCodeTaken, "A-1")
		if n := f.outboxLen(t); n != since {
			t.Errorf("refused plots published %d events", n-since)
		}
		// A neighbour sharing an edge is no overlap.
		must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, squareInput(t, "A-2", 73+side, 33.6, side)))

		feature := func(in zoning.PlotInput) string {
			return fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":{"code":%q,"area_m2":%s,"land_use":"it_park"}}`, in.Boundary, in.Code, in.AreaM2)
		}
		plan := func(ins ...zoning.PlotInput) []byte {
			var fs []string
			for _, in := range ins {
				fs = append(fs, feature(in))
			}
			return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`)
		}
		b1, b2 := squareInput(t, "B-1", 73.01, 33.6, side), squareInput(t, "B-2", 73.0005, 33.6002, side)
		_, err = f.svc.ImportPlan(ctx, dev, z.ID, plan(b1, b2))
		wantKind(t, "a plan with a feature over A-1", err, fault.ErrConflict, "features[1]", "A-1")
		_, err = f.svc.ImportPlan(ctx, dev, z.ID, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature"}]}`))
		wantKind(t, "a malformed plan", err, fault.ErrInvalid)
		b2 = squareInput(t, "B-2", 73.02, 33.6, side)
		since = f.outboxLen(t)
		imported := must[[]*zoning.Plot](t)(f.svc.ImportPlan(ctx, dev, z.ID, plan(b1, b2)))
		if evs := f.events(t, since); !slices.Equal(types(evs), []string{"plot.created", "plot.created"}) || evs[1].Aggregate != imported[1].ID {
			t.Errorf("import events %+v", evs)
		}
		if len(imported) != 2 || imported[0].Code != "B-1" || imported[1].Code != "B-2" {
			t.Fatalf("imported %v", imported)
		}

		u1 := must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput("U-1", 5000)))
		_, err = f.svc.SubdividePlot(ctx, dev, u1.ID, []zoning.PlotInput{undrawnInput("U-1A", 2500), {Code: "U-1B"}})
		wantFields(t, "a part without an area", err, "parts[1].area_m2", "parts[1].land_use")
		since = f.outboxLen(t)
		parts := must[[]*zoning.Plot](t)(f.svc.SubdividePlot(ctx, dev, u1.ID, []zoning.PlotInput{undrawnInput("U-1A", 2500), undrawnInput("U-1B", 2500)}))
		evs := f.events(t, since)
		if len(evs) != 1 || evs[0].Type != "plot.subdivided" || evs[0].Aggregate != u1.ID || evs[0].Version != 2 {
			t.Fatalf("subdivision events %+v", evs)
		}
		if sub := evs[0].Payload.(allocation.PlotSubdivided); len(sub.Parts) != 2 || sub.Parts[0].PlotID != parts[0].ID || sub.Parts[1].AreaM2 != 2500 {
			t.Errorf("subdivided %+v", sub)
		}

		_, err = f.svc.MergePlots(ctx, dev, z.ID, service.MergeInput{PlotIDs: []string{parts[0].ID, parts[0].ID, service.NewID()}, Code: "u-2"})
		wantFields(t, "a bad merger", err, "plot_ids[1]", "code", "land_use")
		_, err = f.svc.MergePlots(ctx, dev, z.ID, service.MergeInput{PlotIDs: []string{parts[0].ID, service.NewID()}, Code: "U-2", LandUse: "it_park"})
		wantFields(t, "a merger of an unknown plot", err, "plot_ids[1]")
		since = f.outboxLen(t)
		merged := must[*zoning.Plot](t)(f.svc.MergePlots(ctx, dev, z.ID, service.MergeInput{PlotIDs: []string{parts[0].ID, parts[1].ID}, Code: "U-2", LandUse: "commercial"}))
		if merged.AreaM2 != 500000 || !slices.Equal(merged.Parents, []string{parts[0].ID, parts[1].ID}) {
			t.Errorf("merged %+v", merged)
		}
		if got := must[*zoning.Plot](t)(f.svc.GetPlot(ctx, viewer, parts[1].ID)); got.Status != zoning.PlotRetired {
			t.Errorf("a merged part is %s", got.Status)
		}

		_, err = f.svc.WithdrawPlot(ctx, dev, merged.ID, "")
		wantFields(t, "withdrawal without a reason", err, "reason")
		must[*zoning.Plot](t)(f.svc.WithdrawPlot(ctx, dev, merged.ID, "road widening"))
		evs = f.events(t, since)
		if !slices.Equal(types(evs), []string{"plot.merged", "plot.withdrawn"}) || evs[0].Aggregate != merged.ID || evs[0].Version != 1 || evs[1].Version != 2 {
			t.Fatalf("merger and withdrawal events %+v", evs)
		}
		if m := evs[0].Payload.(allocation.PlotMerged); m.AreaM2 != 5000 || m.LandUse != "commercial" || len(m.SourcePlotIDs) != 2 {
			t.Errorf("plot.merged %+v", m)
		}
		if w := evs[1].Payload.(allocation.PlotWithdrawn); w.Reason != "road widening" {
			t.Errorf("plot.withdrawn %+v", w)
		}
		_, err = f.svc.WithdrawPlot(ctx, dev, merged.ID, "again")
		wantKind(t, "withdraw twice", err, fault.ErrConflict, "withdrawn")

		live := must[service.Page[*zoning.Plot]](t)(f.svc.ListPlots(ctx, viewer, z.ID, service.PlotQuery{}))
		var codes []string
		for _, p := range live.Items {
			codes = append(codes, string(p.Code))
		}
		if !slices.Equal(codes, []string{"A-1", "A-2", "B-1", "B-2"}) {
			t.Errorf("live plots %v", codes)
		}
		all := must[service.Page[*zoning.Plot]](t)(f.svc.ListPlots(ctx, viewer, z.ID, service.PlotQuery{Statuses: zoning.PlotStatuses(), Limit: 3}))
		if len(all.Items) != 3 || all.NextCursor == "" {
			t.Errorf("first page of every plot: %d items, cursor %q", len(all.Items), all.NextCursor)
		}
		_, err = f.svc.ListPlots(ctx, viewer, service.NewID(), service.PlotQuery{})
		wantKind(t, "plots of an unknown zone", err, fault.ErrNotFound)

		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(must[json.RawMessage](t)(f.svc.PlanGeoJSON(ctx, alice, z.ID)), &fc); err != nil || len(fc.Features) != 4 {
			t.Errorf("plan: %d features, %v", len(fc.Features), err)
		}
	})
}

// TestBuildingsAndUnitsStandOnLivePlots: a unit's floor must exist in its building; a unit is
// published with the land use of its plot, which is what requests ask for.
func TestBuildingsAndUnitsStandOnLivePlots(t *testing.T) {
	sqliteOnly(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		z := f.zone(t, "ISB")
		dev := developer(z.ID)
		p := must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput("A-1", 4000)))
		_, err := f.svc.RegisterBuilding(ctx, dev, p.ID, zoning.BuildingInput{Name: "", Floors: 0})
		wantFields(t, "bad building", err, "name", "floors")
		b := must[*zoning.Building](t)(f.svc.RegisterBuilding(ctx, dev, p.ID, zoning.BuildingInput{Name: "Tower 1", Floors: 3, Basements: 1}))
		_, err = f.svc.RegisterUnit(ctx, dev, b.ID, zoning.UnitInput{Floor: 5, AreaM2: "250", Use: "office"})
		wantFields(t, "a unit on a floor the building lacks", err, "floor")
		_, err = f.svc.RegisterUnit(ctx, developer("elsewhere"), b.ID, zoning.UnitInput{Floor: 1, AreaM2: "250", Use: "office"})
		wantKind(t, "a developer of another zone", err, fault.ErrForbidden)
		since := f.outboxLen(t)
		u := must[*zoning.Unit](t)(f.svc.RegisterUnit(ctx, dev, b.ID, zoning.UnitInput{Label: "1-A", Floor: -1, AreaM2: "250.5", Use: "lab"}))
		evs := f.events(t, since)
		if len(evs) != 1 || evs[0].Type != "unit.registered" {
			t.Fatalf("events %+v", evs)
		}
		if reg := evs[0].Payload.(allocation.UnitRegistered); reg.Use != "it_park" || reg.AreaM2 != 250.5 || reg.PlotID != p.ID || reg.Floor != -1 {
			t.Errorf("unit registered %+v", reg)
		}
		if got := must[*zoning.Unit](t)(f.svc.GetUnit(ctx, alice, u.ID)); got.BuildingID != b.ID {
			t.Errorf("unit %+v", got)
		}
		page := must[service.Page[*zoning.Unit]](t)(f.svc.ListUnits(ctx, viewer, z.ID, service.UnitQuery{BuildingID: b.ID, Use: "lab"}))
		if len(page.Items) != 1 {
			t.Errorf("lab units %v", page.Items)
		}
		_, err = f.svc.ListUnits(ctx, viewer, z.ID, service.UnitQuery{Use: "spaceport"})
		wantFields(t, "bad unit filter", err, "use")
		if got := must[*zoning.Building](t)(f.svc.GetBuilding(ctx, viewer, b.ID)); got.Floors != 3 {
			t.Errorf("building %+v", got)
		}
	})
}

// TestLegalDatesAreCountedInTheZonesTimeZone: a zone registered in another time zone counts
// its legal dates there; the default zone time and a name that cannot be loaded keep the
// configured location.
func TestLegalDatesAreCountedInTheZonesTimeZone(t *testing.T) {
	p := service.DefaultPolicy()
	at := time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC) // 21 March in Karachi, 20 March in UTC
	for _, tt := range []struct {
		zone string
		want string
	}{{"", "2026-03-21"}, {"Asia/Karachi", "2026-03-21"}, {"UTC", "2026-03-20"}, {"Nowhere/Atlantis", "2026-03-21"}} {
		got := p.LeasingFor(&zoning.Zone{TimeZone: tt.zone}).Today(at).String()
		if got != tt.want {
			t.Errorf("zone time %q: today is %s, want %s", tt.zone, got, tt.want)
		}
	}
}
