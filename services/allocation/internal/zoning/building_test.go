package zoning

import (
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestNewBuilding(t *testing.T) {
	tests := []struct {
		name   string
		in     BuildingInput
		fields []string
	}{
		{"one storey", BuildingInput{Name: "Block A", Floors: 1}, nil},
		{"a tower with basements", BuildingInput{Name: "  Tower   One ", Floors: 200, Basements: 5}, nil},
		{"no floors", BuildingInput{Name: "Block A", Floors: 0}, []string{"floors"}},
		{"too many floors", BuildingInput{Name: "Block A", Floors: 201}, []string{"floors"}},
		{"too many basements", BuildingInput{Name: "Block A", Floors: 3, Basements: 6}, []string{"basements"}},
		{"negative basements", BuildingInput{Name: "Block A", Floors: 3, Basements: -1}, []string{"basements"}},
		{"everything wrong", BuildingInput{Name: " ", Floors: -1, Basements: 9}, []string{"name", "floors", "basements"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
			b, err := NewBuilding("bld-1", w.zone, w.plots["A-1"], tt.in, day(5), developer)
			if tt.fields != nil {
				faulttest.WantFields(t, err, tt.fields...)
				return
			}
			must(t, err)
			if b.PlotID != "plot-A-1" || b.ZoneID != w.zone.ID || b.Version != 1 || b.Floors != tt.in.Floors || b.Name == "" || len(b.History) != 1 {
				t.Fatalf("building %+v", b)
			}
		})
	}
}

func TestBuildingsGoOnLivePlotsOfOpenZones(t *testing.T) {
	in := BuildingInput{Name: "Block A", Floors: 4}
	w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
	must(t, w.plots["A-1"].Withdraw(day(4), developer, "road", nil))
	_, err := NewBuilding("bld-1", w.zone, w.plots["A-1"], in, day(5), developer)
	wantState(t, err, "add buildings on", "withdrawn")

	w = newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
	must(t, w.zone.Denotify(day(4), operator, "closed"))
	_, err = NewBuilding("bld-1", w.zone, w.plots["A-1"], in, day(5), developer)
	wantState(t, err, "add buildings in", "denotified")

	w = newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
	w.plots["A-1"].ZoneID = "zone-lhr"
	_, err = NewBuilding("bld-1", w.zone, w.plots["A-1"], in, day(5), developer)
	wantErr(t, err, []error{ErrOtherZone, fault.ErrRule})

	_, err = NewBuilding("", nil, nil, in, time.Time{}, Actor{})
	faulttest.WantFields(t, err, "id", "zone", "plot", "at", "actor.subject")
}

func TestAUnitsFloorMustExistInItsBuilding(t *testing.T) {
	w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
	plot := w.plots["A-1"]
	b, err := NewBuilding("bld-1", w.zone, plot, BuildingInput{Name: "Block A", Floors: 10, Basements: 2}, day(5), developer)
	must(t, err)
	tests := []struct {
		name   string
		in     UnitInput
		fields []string
	}{
		{"ground floor", UnitInput{Floor: 0, AreaM2: "250.5", Use: "office"}, nil},
		{"top floor", UnitInput{Label: "9-01", Floor: 9, AreaM2: "1200", Use: "lab"}, nil},
		{"lowest basement", UnitInput{Floor: -2, AreaM2: "800", Use: "warehouse"}, nil},
		{"above the roof", UnitInput{Floor: 10, AreaM2: "100", Use: "office"}, []string{"floor"}},
		{"below the basements", UnitInput{Floor: -3, AreaM2: "100", Use: "warehouse"}, []string{"floor"}},
		{"no area", UnitInput{Floor: 1, Use: "office"}, []string{"area_m2"}},
		{"three decimals", UnitInput{Floor: 1, AreaM2: "10.125", Use: "office"}, []string{"area_m2"}},
		{"unknown use", UnitInput{Floor: 1, AreaM2: "100", Use: "parking"}, []string{"use"}},
		{"everything wrong", UnitInput{Label: "x\x00", Floor: 99, AreaM2: "-1", Use: ""}, []string{"label", "floor", "area_m2", "use"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := NewUnit("unit-1", w.zone, plot, b, tt.in, day(6), developer)
			if tt.fields != nil {
				faulttest.WantFields(t, err, tt.fields...)
				return
			}
			must(t, err)
			if u.BuildingID != "bld-1" || u.PlotID != plot.ID || u.ZoneID != w.zone.ID || u.Floor != tt.in.Floor || u.Version != 1 {
				t.Fatalf("unit %+v", u)
			}
		})
	}
	other := newWorld(t, spec(t, "B-1", 0, 0, 100, 100))
	other.zone = w.zone
	_, err = NewUnit("unit-1", w.zone, other.plots["B-1"], b, UnitInput{Floor: 0, AreaM2: "10", Use: "office"}, day(6), developer)
	wantErr(t, err, []error{ErrOtherPlot, fault.ErrRule})
	must(t, plot.Withdraw(day(7), developer, "road", nil))
	_, err = NewUnit("unit-1", w.zone, plot, b, UnitInput{Floor: 0, AreaM2: "10", Use: "office"}, day(8), developer)
	wantState(t, err, "add units on", "withdrawn")
}
