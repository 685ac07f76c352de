package geo

import (
	"testing"
)

// benchmarkInsertAndCheck builds an index of a 100×100 grid of adjacent 30 m plots (every plot
// shares its edges with its neighbours, so there is no conflict), checking each plot for
// conflicts before inserting it, and reports plots per second.
func benchmarkInsertAndCheck(b *testing.B, angle float64) {
	plots := grid(b, isb, 100, 30, angle)
	b.ResetTimer()
	for range b.N {
		ix := NewIndex()
		for _, e := range plots {
			if c := ix.Conflicts(e.Polygon); c != nil {
				b.Fatalf("%s conflicts with %v", e.ID, c)
			}
			ix.Insert(e.ID, e.Polygon)
		}
	}
	b.ReportMetric(float64(len(plots)*b.N)/b.Elapsed().Seconds(), "plots/s")
}

// BenchmarkIndexInsertAndCheck10k: a north-aligned grid, so neighbours' boxes only touch and
// the box test settles every pair.
func BenchmarkIndexInsertAndCheck10k(b *testing.B) { benchmarkInsertAndCheck(b, 0) }

// BenchmarkIndexInsertAndCheck10kRotated: the same grid turned by 0.3 rad, so neighbours' boxes
// overlap and every neighbour pair goes through the exact overlay: the realistic worst case.
func BenchmarkIndexInsertAndCheck10kRotated(b *testing.B) { benchmarkInsertAndCheck(b, 0.3) }

func BenchmarkParsePolygon(b *testing.B) {
	data := []byte(geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100})))
	for range b.N {
		if _, err := ParsePolygon(data); err != nil {
			b.Fatal(err)
		}
	}
}
