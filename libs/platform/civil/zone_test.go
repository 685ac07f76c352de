package civil

import (
	"testing"
	"time"
)

func TestZoneTimeMeansPakistanStandardTimeWhenNoneIsGiven(t *testing.T) {
	gulf := time.FixedZone("GST", 4*60*60)
	tests := []struct {
		name string
		loc  *time.Location
		want *time.Location
	}{
		{"no location is the default zone time", nil, PakistanStandardTime()},
		{"a given location is kept", gulf, gulf},
		{"UTC is kept when asked for", time.UTC, time.UTC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ZoneTime(tt.loc); got != tt.want {
				t.Fatalf("ZoneTime(%v) = %v, want %v", tt.loc, got, tt.want)
			}
		})
	}
	// 20:00 UTC on 1 March is already 2 March in Karachi: the default does not count in UTC.
	if got := DateOf(time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), ZoneTime(nil)); got != MustParseDate("2026-03-02") {
		t.Fatalf("the default zone time counted %s", got)
	}
}
