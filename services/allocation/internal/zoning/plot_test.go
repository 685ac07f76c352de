package zoning

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

func TestParsePlotReportsEveryBadFieldAtOnce(t *testing.T) {
	_, err := ParsePlot(PlotInput{Code: "a 1", AreaM2: "1.234", LandUse: "farm", Boundary: json.RawMessage(`{"type":"Point","coordinates":[73,33]}`)}, Policy{})
	faulttest.WantFields(t, err, "code", "area_m2", "land_use", "boundary")
	_, err = ParsePlot(PlotInput{}, Policy{})
	faulttest.WantFields(t, err, "code", "area_m2", "land_use")
}

func TestDeclaredAreaMustAgreeWithTheBoundary(t *testing.T) {
	square := json.RawMessage(rectJSON(0, 0, 100, 100)) // 10,000 m²
	tests := []struct {
		name   string
		area   json.Number
		policy Policy
		ok     bool
	}{
		{"exact", "10000", Policy{}, true},
		{"1.5% over, within the default 2%", "10150", Policy{}, true},
		{"1.5% under", "9850", Policy{}, true},
		{"3% over", "10300", Policy{}, false},
		{"1.5% over, outside a 1% policy", "10150", Policy{AreaTolerance: 0.01}, false},
		{"declared in hectares by mistake", "1", Policy{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParsePlot(PlotInput{Code: "A-1", AreaM2: tt.area, LandUse: "it_park", Boundary: square}, tt.policy)
			if tt.ok {
				must(t, err)
				if s.Boundary == nil || string(s.Code) != "A-1" {
					t.Fatalf("spec %+v", s)
				}
				return
			}
			v := faulttest.WantFields(t, err, "area_m2")
			if r := reasonOf(v, "area_m2"); !strings.Contains(r, "measures 9999.9") || !strings.Contains(r, "%") {
				t.Errorf("reason %q should give the measured area and the tolerance", r)
			}
		})
	}
}

func TestNewPlotChecksTheZoneAndTheLivePlots(t *testing.T) {
	w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100), spec(t, "A-2", 100, 0, 200, 100))
	tests := []struct {
		name    string
		zone    *Zone
		spec    PlotSpec
		targets []error
		texts   []string
	}{
		{"a neighbour sharing edges", w.zone, spec(t, "B-1", 0, 100, 200, 200), nil, nil},
		{"a plot planned by area alone", w.zone, undrawn(t, "B-2", 5000), nil, nil},
		{"along the zone's boundary", w.zone, spec(t, "B-3", 900, 900, 1000, 1000), nil, nil},
		{"in a planned zone", zoneIn(t, ZonePlanned), spec(t, "B-4", 300, 300, 400, 400), nil, nil},
		{"overlapping a live plot", w.zone, spec(t, "B-5", 50, 50, 150, 150),
			[]error{ErrOverlap, fault.ErrConflict}, []string{"plot B-5", "A-1 (id plot-A-1) by 2499.9", "A-2 (id plot-A-2) by 2499.9"}},
		{"outside the zone", w.zone, spec(t, "B-6", 950, 0, 1050, 100),
			[]error{ErrOutsideZone, fault.ErrRule}, []string{"B-6", "4999.9", "m² outside zone ISB"}},
		{"a code already used", w.zone, spec(t, "A-1", 500, 500, 600, 600),
			[]error{ErrCodeTaken, fault.ErrConflict}, []string{"A-1", "plot-A-1", "ISB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.plans.Index.Len()
			pl, err := NewPlot("plot-new", tt.zone, tt.spec, w.plans, day(4), developer, Policy{})
			if tt.targets == nil {
				must(t, err)
				if pl.Status != PlotLive || pl.Version != 1 || pl.ZoneID != tt.zone.ID || pl.Code != tt.spec.Code || pl.History[0].Action != ActionCreate {
					t.Fatalf("plot %+v", pl)
				}
				return
			}
			wantErr(t, err, tt.targets, tt.texts...)
			if pl != nil || w.plans.Index.Len() != before {
				t.Fatalf("a refused plot was created or indexed")
			}
		})
	}

	t.Run("the overlap error lists the plots for the client", func(t *testing.T) {
		_, err := NewPlot("plot-new", w.zone, spec(t, "B-5", 50, 50, 150, 150), w.plans, day(4), developer, Policy{})
		var oe *OverlapError
		if !errors.As(err, &oe) || len(oe.Conflicts) != 2 || oe.Conflicts[0].Code != "A-1" || oe.Conflicts[1].PlotID != "plot-A-2" {
			t.Fatalf("overlap error %+v", err)
		}
	})
	t.Run("a denotified zone takes no plots", func(t *testing.T) {
		_, err := NewPlot("plot-new", zoneIn(t, ZoneDenotified), spec(t, "B-7", 0, 0, 10, 10), ZonePlots{}, day(4), developer, Policy{})
		wantState(t, err, "add plots to", "denotified")
	})
	t.Run("a zone without a boundary takes any plot", func(t *testing.T) {
		z := zoneIn(t, ZoneNotified)
		z.Boundary = nil
		_, err := NewPlot("plot-new", z, spec(t, "B-8", 5000, 5000, 5100, 5100), ZonePlots{}, day(4), developer, Policy{})
		must(t, err)
	})
	t.Run("bad input is reported all at once", func(t *testing.T) {
		_, err := NewPlot(" ", nil, PlotSpec{Code: "a", LandUse: "farm"}, w.plans, time.Time{}, Actor{}, Policy{})
		faulttest.WantFields(t, err, "id", "at", "actor.subject", "zone", "code", "area_m2", "land_use")
		s := spec(t, "B-9", 0, 100, 100, 200)
		s.AreaM2 = area(t, 20000)
		_, err = NewPlot("plot-new", w.zone, s, w.plans, day(4), developer, Policy{})
		faulttest.WantFields(t, err, "area_m2")
	})
}

func TestWithdraw(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(w *world, p *Plot)
		why     string
		targets []error
		state   string
		fields  []string
	}{
		{"a live plot", nil, "road realigned", nil, "", nil},
		{"a leased plot", func(w *world, p *Plot) { w.leased[p.ID] = true }, "road realigned", []error{ErrLeased, fault.ErrRule}, "", nil},
		{"without a reason", nil, " ", nil, "", []string{"reason"}},
		{"a withdrawn plot", func(w *world, p *Plot) { must(t, p.Withdraw(day(5), developer, "first", nil)) }, "again", nil, "withdrawn", nil},
		{"a retired plot", func(w *world, p *Plot) {
			_, err := Subdivide(w.zone, p, []Part{
				{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 50, 100)}, {ID: "p2", Spec: spec(t, "A-1B", 50, 0, 100, 100)},
			}, w.plans, nil, day(5), developer, Policy{})
			must(t, err)
		}, "road realigned", nil, "retired", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
			p := w.plots["A-1"]
			if tt.setup != nil {
				tt.setup(w, p)
			}
			status, version := p.Status, p.Version
			err := p.Withdraw(day(6), developer, tt.why, w.isLeased)
			switch {
			case tt.state != "":
				wantState(t, err, "withdraw", tt.state)
			case tt.fields != nil:
				faulttest.WantFields(t, err, tt.fields...)
			case tt.targets != nil:
				wantErr(t, err, tt.targets, "A-1")
			default:
				must(t, err)
				h := p.History[len(p.History)-1]
				if p.Status != PlotWithdrawn || p.Version != version+1 || h.Action != ActionWithdraw || h.Reason != tt.why || h.From != "live" {
					t.Fatalf("plot %s v%d history %+v", p.Status, p.Version, h)
				}
				return
			}
			if p.Status != status || p.Version != version {
				t.Fatalf("a refused withdrawal changed the plot")
			}
		})
	}
}

func TestSubdivideTurnsTheParentIntoItsParts(t *testing.T) {
	t.Run("drawn", func(t *testing.T) {
		w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
		parent := w.plots["A-1"]
		parts, err := Subdivide(w.zone, parent, []Part{
			{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 60, 100)},
			{ID: "p2", Spec: spec(t, "A-1B", 60, 0, 100, 50)},
			{ID: "p3", Spec: spec(t, "A-1C", 60, 50, 100, 100)},
		}, w.plans, w.isLeased, day(5), developer, Policy{})
		must(t, err)
		if parent.Status != PlotRetired || !slices.Equal(parent.Children, []string{"p1", "p2", "p3"}) || parent.Version != 2 {
			t.Fatalf("parent %s children %v v%d", parent.Status, parent.Children, parent.Version)
		}
		if h := parent.History[1]; h.Action != ActionSubdivide || h.To != "retired" || !slices.Equal(h.Related, []string{"p1", "p2", "p3"}) {
			t.Fatalf("parent history %+v", h)
		}
		for _, p := range parts {
			if p.Status != PlotLive || !slices.Equal(p.Parents, []string{"plot-A-1"}) || p.ZoneID != w.zone.ID || p.History[0].Action != ActionSubdivide {
				t.Fatalf("part %+v", p)
			}
		}
	})
	t.Run("by area alone", func(t *testing.T) {
		w := newWorld(t, undrawn(t, "U-1", 10_000))
		parts, err := Subdivide(w.zone, w.plots["U-1"], []Part{
			{ID: "p1", Spec: undrawn(t, "U-1A", 6000)}, {ID: "p2", Spec: undrawn(t, "U-1B", 4100)},
		}, w.plans, nil, day(5), developer, Policy{})
		must(t, err)
		if len(parts) != 2 || parts[1].AreaM2 != area(t, 4100) {
			t.Fatalf("parts %+v", parts)
		}
	})
}

func TestSubdivideRefusesWhatDoesNotTileTheParent(t *testing.T) {
	halves := func() []Part {
		return []Part{{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 50, 100)}, {ID: "p2", Spec: spec(t, "A-1B", 50, 0, 100, 100)}}
	}
	tests := []struct {
		name    string
		parent  string // code in the world: A-1 drawn, U-1 undrawn
		parts   func() []Part
		setup   func(w *world)
		fields  []string
		reason  map[string]string
		targets []error
		state   string
	}{
		{"one part", "A-1", func() []Part { return halves()[:1] }, nil, []string{"parts"}, nil, nil, ""},
		{"overlapping parts", "A-1", func() []Part {
			return []Part{{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 55, 100)}, {ID: "p2", Spec: spec(t, "A-1B", 50, 0, 100, 100)}}
		}, nil, []string{"parts", "parts[1].boundary"}, map[string]string{"parts[1].boundary": "overlaps part 0"}, nil, ""},
		{"a gap", "A-1", func() []Part {
			return []Part{{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 50, 100)}, {ID: "p2", Spec: spec(t, "A-1B", 50, 0, 100, 90)}}
		}, nil, []string{"parts", "parts"}, map[string]string{"parts": "uncovered"}, nil, ""},
		{"a part outside the parent", "A-1", func() []Part {
			return []Part{{ID: "p1", Spec: spec(t, "A-1A", 0, 0, 50, 100)}, {ID: "p2", Spec: spec(t, "A-1B", 50, 0, 110, 100)}}
		}, nil, []string{"parts", "parts[1].boundary"}, map[string]string{"parts[1].boundary": "outside the parent"}, nil, ""},
		{"an undrawn part of a drawn parent", "A-1", func() []Part {
			ps := halves()
			ps[1].Spec.Boundary = nil
			return ps
		}, nil, []string{"parts[1].boundary"}, nil, nil, ""},
		{"a drawn part of an undrawn parent", "U-1", func() []Part {
			return []Part{{ID: "p1", Spec: spec(t, "U-1A", 0, 0, 50, 100)}, {ID: "p2", Spec: undrawn(t, "U-1B", 5000)}}
		}, nil, []string{"parts[0].boundary"}, nil, nil, ""},
		{"areas that do not add up", "U-1", func() []Part {
			return []Part{{ID: "p1", Spec: undrawn(t, "U-1A", 5000)}, {ID: "p2", Spec: undrawn(t, "U-1B", 4000)}}
		}, nil, []string{"parts"}, map[string]string{"parts": "add up to 9000 m² but the parent's is 10000 m²"}, nil, ""},
		{"a part's area disagreeing with its boundary", "A-1", func() []Part {
			ps := halves()
			ps[0].Spec.AreaM2 = area(t, 6000)
			return ps
		}, nil, []string{"parts[0].area_m2", "parts"}, nil, nil, ""},
		{"repeated ids and codes", "A-1", func() []Part {
			ps := halves()
			ps[1].ID, ps[1].Spec.Code = ps[0].ID, ps[0].Spec.Code
			return ps
		}, nil, []string{"parts[1].id", "parts[1].code"}, nil, nil, ""},
		{"a code already used", "A-1", func() []Part {
			ps := halves()
			ps[1].Spec.Code = "A-1"
			return ps
		}, nil, nil, nil, []error{ErrCodeTaken, fault.ErrConflict}, ""},
		{"a leased parent", "A-1", halves, func(w *world) { w.leased["plot-A-1"] = true }, nil, nil, []error{ErrLeased, fault.ErrRule}, ""},
		{"a withdrawn parent", "A-1", halves, func(w *world) { must(t, w.plots["A-1"].Withdraw(day(4), developer, "gone", nil)) }, nil, nil, nil, "withdrawn"},
		{"a parent in another zone", "A-1", halves, func(w *world) { w.plots["A-1"].ZoneID = "zone-lhr" }, nil, nil, []error{ErrOtherZone, fault.ErrRule}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100), undrawn(t, "U-1", 10_000))
			if tt.setup != nil {
				tt.setup(w)
			}
			parent := w.plots[tt.parent]
			status, version := parent.Status, parent.Version
			parts, err := Subdivide(w.zone, parent, tt.parts(), w.plans, w.isLeased, day(5), developer, Policy{})
			switch {
			case tt.state != "":
				wantState(t, err, "subdivide", tt.state)
			case tt.targets != nil:
				wantErr(t, err, tt.targets)
			default:
				v := faulttest.WantFields(t, err, tt.fields...)
				for field, want := range tt.reason {
					if r := reasonOf(v, field); !strings.Contains(r, want) {
						t.Errorf("%s: %q does not mention %q", field, r, want)
					}
				}
			}
			if parts != nil || parent.Status != status || parent.Version != version || parent.Children != nil {
				t.Fatalf("a refused subdivision changed something")
			}
		})
	}
	t.Run("in a denotified zone", func(t *testing.T) {
		w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
		must(t, w.zone.Denotify(day(4), operator, "closed"))
		_, err := Subdivide(w.zone, w.plots["A-1"], halves(), w.plans, nil, day(5), developer, Policy{})
		wantState(t, err, "subdivide plots in", "denotified")
	})
}

func TestMergeJoinsAdjacentPlots(t *testing.T) {
	t.Run("drawn", func(t *testing.T) {
		w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100), spec(t, "A-2", 100, 0, 200, 100), spec(t, "A-3", 0, 100, 200, 150))
		plots := []*Plot{w.plots["A-1"], w.plots["A-2"], w.plots["A-3"]}
		m, err := Merge(w.zone, plots, "plot-M", MergeSpec{Code: "M-1", LandUse: "commercial"}, w.plans, w.isLeased, day(5), developer, Policy{})
		must(t, err)
		if m.AreaM2 != area(t, 30_000) || m.Boundary == nil || m.LandUse != "commercial" || m.Status != PlotLive ||
			!slices.Equal(m.Parents, []string{"plot-A-1", "plot-A-2", "plot-A-3"}) || m.History[0].Action != ActionMerge {
			t.Fatalf("merged %+v", m)
		}
		if got := geo.AreaM2(*m.Boundary); got < 29_990 || got > 30_010 {
			t.Errorf("union measures %.2f m²", got)
		}
		for _, p := range plots {
			if p.Status != PlotRetired || !slices.Equal(p.Children, []string{"plot-M"}) || p.History[len(p.History)-1].Action != ActionMerge {
				t.Fatalf("source %s %s %v", p.Code, p.Status, p.Children)
			}
		}
	})
	t.Run("by area alone", func(t *testing.T) {
		w := newWorld(t, undrawn(t, "U-1", 1000.25), undrawn(t, "U-2", 2000.5))
		m, err := Merge(w.zone, []*Plot{w.plots["U-1"], w.plots["U-2"]}, "plot-M", MergeSpec{Code: "M-1", LandUse: "industrial"}, w.plans, nil, day(5), developer, Policy{})
		must(t, err)
		if m.AreaM2 != area(t, 3000.75) || m.Boundary != nil {
			t.Fatalf("merged %+v", m)
		}
	})
}

func TestMergeRefusesPlotsThatCannotJoin(t *testing.T) {
	codes := func(cs ...string) func(w *world) []*Plot {
		return func(w *world) []*Plot {
			out := make([]*Plot, len(cs))
			for i, c := range cs {
				out[i] = w.plots[c]
			}
			return out
		}
	}
	tests := []struct {
		name    string
		plots   func(w *world) []*Plot
		spec    MergeSpec
		setup   func(w *world)
		targets []error
		texts   []string
		fields  []string
		state   string
	}{
		{"touching only at a corner", codes("A-1", "C-1"), MergeSpec{"M-1", "it_park"}, nil,
			[]error{ErrNotAdjacent, fault.ErrRule}, []string{"A-1 | C-1"}, nil, ""},
		{"apart, with a pair that touches", codes("A-1", "F-1", "A-2"), MergeSpec{"M-1", "it_park"}, nil,
			[]error{ErrNotAdjacent}, []string{"A-1 + A-2 | F-1"}, nil, ""},
		{"drawn and undrawn", codes("A-1", "U-1"), MergeSpec{"M-1", "it_park"}, nil,
			[]error{ErrMixedBoundaries, fault.ErrRule}, []string{"U-1"}, nil, ""},
		{"a leased plot", codes("A-1", "A-2"), MergeSpec{"M-1", "it_park"}, func(w *world) { w.leased["plot-A-2"] = true },
			[]error{ErrLeased, fault.ErrRule}, []string{"A-2"}, nil, ""},
		{"a withdrawn plot", codes("A-1", "A-2"), MergeSpec{"M-1", "it_park"}, func(w *world) { must(t, w.plots["A-2"].Withdraw(day(4), developer, "x", nil)) },
			nil, nil, nil, "withdrawn"},
		{"a plot of another zone", codes("A-1", "A-2"), MergeSpec{"M-1", "it_park"}, func(w *world) { w.plots["A-2"].ZoneID = "zone-lhr" },
			[]error{ErrOtherZone}, []string{"A-2"}, nil, ""},
		{"a code already used", codes("A-1", "A-2"), MergeSpec{"A-1", "it_park"}, nil,
			[]error{ErrCodeTaken, fault.ErrConflict}, []string{"plot-A-1"}, nil, ""},
		{"one plot", codes("A-1"), MergeSpec{"M-1", "it_park"}, nil, nil, nil, []string{"plots"}, ""},
		{"the same plot twice", codes("A-1", "A-1"), MergeSpec{"M-1", "it_park"}, nil, nil, nil, []string{"plots[1]"}, ""},
		{"a bad code and land use", codes("A-1", "A-2"), MergeSpec{"m 1", "farm"}, nil, nil, nil, []string{"code", "land_use"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100), spec(t, "A-2", 100, 0, 200, 100),
				spec(t, "C-1", 100, 100, 200, 200), spec(t, "F-1", 500, 500, 600, 600), undrawn(t, "U-1", 5000))
			if tt.setup != nil {
				tt.setup(w)
			}
			plots := tt.plots(w)
			versions := make([]int64, len(plots))
			for i, p := range plots {
				versions[i] = p.Version
			}
			m, err := Merge(w.zone, plots, "plot-M", tt.spec, w.plans, w.isLeased, day(5), developer, Policy{})
			switch {
			case tt.state != "":
				wantState(t, err, "merge", tt.state)
			case tt.fields != nil:
				faulttest.WantFields(t, err, tt.fields...)
			default:
				wantErr(t, err, tt.targets, tt.texts...)
			}
			if m != nil {
				t.Fatalf("a refused merger made a plot")
			}
			for i, p := range plots {
				if p.Version != versions[i] || p.Children != nil {
					t.Fatalf("a refused merger changed %s", p.Code)
				}
			}
		})
	}
}
