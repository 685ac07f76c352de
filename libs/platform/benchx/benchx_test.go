package benchx_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/benchx"
)

func TestSummarizeTakesTheMedianAndTheExtremes(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []float64
		want benchx.Summary
	}{
		{"no runs", nil, benchx.Summary{}},
		{"one run", []float64{7}, benchx.Summary{Median: 7, Min: 7, Max: 7, Runs: 1}},
		{"odd count: the middle value, whatever the order", []float64{9, 1, 5}, benchx.Summary{Median: 5, Min: 1, Max: 9, Runs: 3}},
		{"even count: the mean of the middle two", []float64{4, 1, 10, 2}, benchx.Summary{Median: 3, Min: 1, Max: 10, Runs: 4}},
		{"one wild run does not move the median", []float64{10, 11, 500, 12, 10}, benchx.Summary{Median: 11, Min: 10, Max: 500, Runs: 5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := benchx.Summarize(c.in); got != c.want {
				t.Fatalf("Summarize(%v) = %+v, want %+v", c.in, got, c.want)
			}
		})
	}
}

func TestSummarizeLeavesItsInputInRunOrder(t *testing.T) {
	in := []float64{3, 1, 2}
	benchx.Summarize(in)
	if in[0] != 3 || in[1] != 1 || in[2] != 2 {
		t.Fatalf("input reordered to %v", in)
	}
}

func TestFormatShowsTheMedianThenTheRange(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want string
	}{
		{nil, "-"},
		{[]float64{2.5}, "2.5 ms"},
		{[]float64{3, 1, 2}, "2.0 ms (1.0 ms–3.0 ms)"},
	} {
		if got := benchx.Summarize(c.in).Format(benchx.Millis); got != c.want {
			t.Errorf("Format of %v = %q, want %q", c.in, got, c.want)
		}
	}
}

// A ratio pairs each run's figure with the limit of the same run, never medians of each side.
func TestRatiosDivideRunByRunAndSkipAMissingLimit(t *testing.T) {
	got := benchx.Ratios([]float64{10, 30, 8}, []float64{20, 0, 16})
	if len(got) != 2 || got[0] != 0.5 || got[1] != 0.5 {
		t.Fatalf("Ratios = %v, want [0.5 0.5]", got)
	}
	s := benchx.Series{}
	for i, v := range []float64{100, 200, 300} {
		s.Add("relayed", v)
		s.Add("raw", []float64{1000, 400, 600}[i])
	}
	if got := s.Ratio("relayed", "raw"); got.Median != 0.5 || got.Min != 0.1 || got.Max != 0.5 {
		t.Fatalf("Series.Ratio = %+v, want median 0.5, min 0.1, max 0.5", got)
	}
}

func TestSeriesKeepsDurationsAsMilliseconds(t *testing.T) {
	s := benchx.Series{}
	s.AddDuration("p99", 1500*time.Microsecond)
	s.AddDuration("p99", 2500*time.Microsecond)
	if got := s.Summary("p99"); got.Median != 2 || got.Runs != 2 {
		t.Fatalf("Summary = %+v, want a median of 2 ms over 2 runs", got)
	}
	if got := s.Summary("absent"); got.Runs != 0 {
		t.Fatalf("Summary of an absent figure = %+v, want no runs", got)
	}
}

func TestThousandsGroupsDigits(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567", -45678: "-45,678"} {
		if got := benchx.Thousands(in); got != want {
			t.Errorf("Thousands(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestTableAlignsCellsToTheRightAndEndsWithABlankLine(t *testing.T) {
	var b strings.Builder
	err := benchx.Table(&b, "name\tvalue\t", func(w io.Writer) {
		fmt.Fprintln(w, "a\t1,000\t")
		fmt.Fprintln(w, "longer\t7\t")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "    name  value\n       a  1,000\n  longer      7\n\n"
	if b.String() != want {
		t.Fatalf("table =\n%q\nwant\n%q", b.String(), want)
	}
}
