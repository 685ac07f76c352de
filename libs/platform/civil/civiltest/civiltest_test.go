package civiltest

import (
	"testing"
	"time"
)

func TestInstantsAreReadAsWritten(t *testing.T) {
	karachi := time.FixedZone("PKT", 5*60*60)
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"a wall-clock time in a zone", In(karachi, "2026-03-02 09:00"), time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)},
		{"midnight in a zone is the evening before in UTC", In(karachi, "2026-03-02 00:00"), time.Date(2026, 3, 1, 19, 0, 0, 0, time.UTC)},
		{"an RFC 3339 instant", UTC("2026-03-02T04:00:00Z"), time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)},
		{"an RFC 3339 instant with an offset", UTC("2026-03-02T09:00:00+05:00"), time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.got.Equal(tt.want) {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestUnreadableTextPanics(t *testing.T) {
	tests := []struct {
		name string
		read func()
	}{
		{"a wall-clock time in another layout", func() { In(time.UTC, "2026-03-02T09:00") }},
		{"an instant without its zone", func() { UTC("2026-03-02 04:00") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("no panic")
				}
			}()
			tt.read()
		})
	}
}
