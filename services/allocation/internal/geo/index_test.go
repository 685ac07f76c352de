package geo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIndexConflictsNameOverlapsButNotNeighbours(t *testing.T) {
	ix := NewIndex(
		Entry{ID: "A-1", Polygon: isb.rect(t, 0, 0, 100, 100)},
		Entry{ID: "A-2", Polygon: isb.rect(t, 100, 0, 200, 100)},
		Entry{ID: "A-3", Polygon: isb.rect(t, 0, 100, 100, 200)},
		Entry{ID: "no-boundary", Polygon: Polygon{}},
	)
	if ix.Len() != 3 {
		t.Fatalf("len %d, want 3 (zero polygons are not indexed)", ix.Len())
	}
	tests := []struct {
		name string
		p    Polygon
		want []string
	}{
		{"a neighbour on two edges", isb.rect(t, 100, 100, 200, 200), nil},
		{"across two plots", isb.rect(t, 50, 50, 150, 90), []string{"A-1", "A-2"}},
		{"across three plots", isb.rect(t, 90, 90, 110, 110), []string{"A-1", "A-2", "A-3"}},
		{"far away", isb.rect(t, 1000, 1000, 1100, 1100), nil},
		{"a sliver along an edge", isb.rect(t, 199.995, 0, 299.995, 100), nil},
		{"zero polygon", Polygon{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ix.Conflicts(tt.p); !slices.Equal(got, tt.want) {
				t.Fatalf("conflicts %v, want %v", got, tt.want)
			}
		})
	}
	cs := ix.ConflictsDetail(isb.rect(t, 50, 50, 150, 90))
	if len(cs) != 2 || !within(cs[0].AreaM2, 2000, 0.001) || !within(cs[1].AreaM2, 2000, 0.001) {
		t.Errorf("conflict detail %+v, want 2000 m² with each", cs)
	}
}

func TestIndexInsertReplaceAndDelete(t *testing.T) {
	ix := NewIndex()
	probe := isb.rect(t, 10, 10, 20, 20)
	ix.Insert("A-1", isb.rect(t, 0, 0, 100, 100))
	if got := ix.Conflicts(probe); !slices.Equal(got, []string{"A-1"}) {
		t.Fatalf("after insert: %v", got)
	}
	ix.Insert("A-1", isb.rect(t, 500, 500, 600, 600))
	if got := ix.Conflicts(probe); got != nil {
		t.Fatalf("after replace: %v", got)
	}
	if p, ok := ix.Get("A-1"); !ok || !within(p.Bounds().MinLon, isb.pt(500, 0)[0], 1e-12) {
		t.Fatalf("get after replace: %v %v", p, ok)
	}
	ix.Delete("A-1")
	ix.Delete("never-there")
	if _, ok := ix.Get("A-1"); ok || ix.Len() != 0 {
		t.Fatalf("after delete: len %d", ix.Len())
	}
	ix.Insert("A-2", Polygon{})
	if ix.Len() != 0 {
		t.Fatalf("a zero polygon was indexed")
	}
	var zero Index
	zero.Insert("A-3", probe)
	if got := zero.Conflicts(probe); !slices.Equal(got, []string{"A-3"}) {
		t.Fatalf("zero Index: %v", got)
	}
}

// TestIndexAgreesWithBruteForce drives the index through inserts, replacements and deletes
// enough to fill, merge and compact its trees, and checks every answer against a scan of all
// polygons.
func TestIndexAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix := NewIndex()
	live := map[string]Polygon{}
	randRect := func() Polygon {
		x, y := rng.Float64()*2000, rng.Float64()*2000
		return isb.rect(t, x, y, x+5+rng.Float64()*80, y+5+rng.Float64()*80)
	}
	for step := range 3000 {
		id := fmt.Sprintf("P-%d", rng.IntN(600))
		switch r := rng.Float64(); {
		case r < 0.65:
			p := randRect()
			ix.Insert(id, p)
			live[id] = p
		default:
			ix.Delete(id)
			delete(live, id)
		}
		if step%25 != 0 {
			continue
		}
		if ix.Len() != len(live) {
			t.Fatalf("step %d: len %d, want %d", step, ix.Len(), len(live))
		}
		probe := randRect()
		var want []string
		for id, p := range live {
			if Overlaps(probe, p) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		if got := ix.Conflicts(probe); !slices.Equal(got, want) {
			t.Fatalf("step %d: conflicts %v, want %v", step, got, want)
		}
	}
	if len(ix.levels) < 2 {
		t.Errorf("the test never merged trees (%d levels)", len(ix.levels))
	}
}

func TestIndexDoesNotGrowUnderChurn(t *testing.T) {
	ix := NewIndex()
	p, q := isb.rect(t, 0, 0, 10, 10), isb.rect(t, 20, 0, 30, 10)
	ix.Insert("still", q)
	for range 10_000 {
		ix.Insert("churn", p)
		ix.Delete("churn")
	}
	if n := len(ix.entries); n > 3*bufferSize {
		t.Fatalf("%d entries kept for 1 live polygon", n)
	}
	if got := ix.Conflicts(q); !slices.Equal(got, []string{"still"}) {
		t.Fatalf("conflicts after churn %v", got)
	}
}

func TestIndexOfAGridHasNoConflicts(t *testing.T) {
	for _, angle := range []float64{0, 0.3} {
		t.Run(fmt.Sprintf("rotated %.1f rad", angle), func(t *testing.T) {
			plots := grid(t, isb, 12, 40, angle)
			ix := NewIndex()
			for _, e := range plots {
				if c := ix.Conflicts(e.Polygon); c != nil {
					t.Fatalf("%s conflicts with %v", e.ID, c)
				}
				ix.Insert(e.ID, e.Polygon)
			}
			bulk := NewIndex(plots...)
			for _, e := range plots {
				if c := bulk.Conflicts(e.Polygon); !slices.Equal(c, []string{e.ID}) {
					t.Fatalf("%s in the bulk index conflicts with %v, want only itself", e.ID, c)
				}
			}
			if got := bulk.Search(plots[0].Polygon.Bounds()); len(got) != 4 {
				t.Errorf("box search around a corner plot found %v, want it and its 3 neighbours", got)
			}
		})
	}
}
