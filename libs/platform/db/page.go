package db

// Page is one page of a keyset list and the cursor of the next ("" at the end), in the shape
// list endpoints answer with.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// PageOf is the page of items with the next cursor; no items is an empty list, never null.
func PageOf[T any](items []T, next string) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, NextCursor: next}
}
