package db_test

import (
	"encoding/json"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// TestAPageListsNoItemsAsAnEmptyListAndHidesTheLastCursor: clients read "items": [] for an
// empty page, never null, and no next_cursor on the last page.
func TestAPageListsNoItemsAsAnEmptyListAndHidesTheLastCursor(t *testing.T) {
	tests := []struct {
		name  string
		items []string
		next  string
		want  string
	}{
		{"no items, last page", nil, "", `{"items":[]}`},
		{"items and a next page", []string{"a", "b"}, "c1", `{"items":["a","b"],"next_cursor":"c1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(db.PageOf(tt.items, tt.next))
			if err != nil || string(b) != tt.want {
				t.Errorf("PageOf = %s, %v; want %s", b, err, tt.want)
			}
		})
	}
}
