// Package benchx summarises repeated benchmark runs. On a shared machine one run can be
// disturbed by anything else on the disk or the CPUs, so a figure is the median of several
// runs, shown with the lowest and highest so that the spread is visible too; a figure that
// depends on the machine is set beside the raw limit measured in the same run, as a ratio.
package benchx

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Summary is one figure over several runs.
type Summary struct {
	Median, Min, Max float64
	Runs             int
}

// Summarize returns the median (the mean of the middle two for an even count), minimum and
// maximum of xs; the zero Summary when xs is empty.
func Summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Summary{Median: med, Min: s[0], Max: s[n-1], Runs: n}
}

// Format writes s as "median (min–max)", each value written by f; a single run is its value
// alone, and no runs is "-".
func (s Summary) Format(f func(float64) string) string {
	switch s.Runs {
	case 0:
		return "-"
	case 1:
		return f(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", f(s.Median), f(s.Min), f(s.Max))
}

// Ratios divides each run's figure by the limit measured in the same run, so that a slow run
// of the machine slows both sides of its ratio. Runs whose limit is zero are left out.
func Ratios(figures, limits []float64) []float64 {
	out := make([]float64, 0, min(len(figures), len(limits)))
	for i := range min(len(figures), len(limits)) {
		if limits[i] != 0 {
			out = append(out, figures[i]/limits[i])
		}
	}
	return out
}

// Series collects named figures over runs.
type Series map[string][]float64

// Add records one run's value of the figure name.
func (s Series) Add(name string, v float64) { s[name] = append(s[name], v) }

// AddDuration records a duration as milliseconds (see Millis).
func (s Series) AddDuration(name string, d time.Duration) {
	s.Add(name, float64(d.Microseconds())/1000)
}

// Summary summarises the figure name.
func (s Series) Summary(name string) Summary { return Summarize(s[name]) }

// Ratio summarises the figure name divided, run by run, by the figure limit.
func (s Series) Ratio(name, limit string) Summary { return Summarize(Ratios(s[name], s[limit])) }

// Thousands writes f rounded to a whole number with thousands separators: 12,345.
func Thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// Millis writes a figure held in milliseconds: 12.3 ms.
func Millis(ms float64) string { return fmt.Sprintf("%.1f ms", ms) }

// Ms writes a duration in milliseconds: 12.3 ms.
func Ms(d time.Duration) string { return Millis(float64(d.Microseconds()) / 1000) }

// Times writes a ratio: 0.42×.
func Times(r float64) string { return fmt.Sprintf("%.2f×", r) }

// Table writes a table of right-aligned, tab-separated cells (each line ending in a tab): the
// header line, then whatever rows writes, then a blank line.
func Table(out io.Writer, header string, rows func(w io.Writer)) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, header)
	rows(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out)
	return err
}
