package geo

import (
	"cmp"
	"slices"

	"github.com/peterstace/simplefeatures/rtree"
)

// Entry is one polygon of an index and the id it is filed under (a plot id).
type Entry struct {
	ID      string
	Polygon Polygon
}

// Conflict is a polygon of the index that a candidate overlaps, and by how much.
type Conflict struct {
	ID string
	// AreaM2 is the shared area in square metres; +Inf when the overlay could not be computed
	// (the candidate is refused rather than let through unverified).
	AreaM2 float64
}

// Index is a spatial index of polygons keyed by id (the live plots of a zone): it answers
// "which polygons does this one overlap?" with a bounding-box search in an R-tree followed by
// the exact overlap test on the few candidates.
//
// simplefeatures' rtree is static (bulk-loaded, no insert or delete), so the index keeps its
// polygons in a short unindexed buffer plus a stack of bulk-loaded trees whose sizes grow in
// powers of two (the logarithmic method of Bentley and Saxe): a full buffer is merged with the
// smaller trees into one new tree, so each polygon is re-indexed O(log n) times and a search
// visits O(log n) trees. Deletion marks the entry dead; everything is rebuilt into one tree once
// the dead outnumber the living.
//
// An Index is not safe for concurrent use; a store builds one per transaction or guards it.
type Index struct {
	entries []indexEntry   // by slot
	slots   map[string]int // live id → slot
	buffer  []int          // slots not yet in any tree
	levels  []level        // levels[i] holds about bufferSize·2^i slots, or none
}

type indexEntry struct {
	id   string
	poly Polygon
	live bool
}

type level struct {
	tree  *rtree.RTree
	slots []int
}

// bufferSize is how many polygons wait unindexed before they are bulk-loaded; a linear scan of
// this many boxes costs less than one more tree to search.
const bufferSize = 32

// NewIndex returns an index of entries, bulk-loaded into one tree. Zero polygons are skipped
// (a plot without a boundary cannot overlap anything); of two entries with the same id the
// later wins.
func NewIndex(entries ...Entry) *Index {
	ix := &Index{slots: make(map[string]int, len(entries))}
	for _, e := range entries {
		if e.Polygon.IsZero() {
			continue
		}
		if old, ok := ix.slots[e.ID]; ok {
			ix.entries[old] = indexEntry{id: e.ID, poly: e.Polygon, live: true}
			continue
		}
		ix.slots[e.ID] = len(ix.entries)
		ix.entries = append(ix.entries, indexEntry{id: e.ID, poly: e.Polygon, live: true})
	}
	if len(ix.entries) > 0 {
		slots := make([]int, len(ix.entries))
		for i := range slots {
			slots[i] = i
		}
		ix.load(slots)
	}
	return ix
}

// Len returns the number of polygons in the index.
func (ix *Index) Len() int { return len(ix.slots) }

// Get returns the polygon filed under id.
func (ix *Index) Get(id string) (Polygon, bool) {
	s, ok := ix.slots[id]
	if !ok {
		return Polygon{}, false
	}
	return ix.entries[s].poly, true
}

// Insert files p under id, replacing any polygon already filed under it. A zero p only removes
// the old one. Insert does not check for conflicts: call Conflicts first.
func (ix *Index) Insert(id string, p Polygon) {
	ix.Delete(id)
	if p.IsZero() {
		return
	}
	if ix.slots == nil {
		ix.slots = make(map[string]int)
	}
	s := len(ix.entries)
	ix.entries = append(ix.entries, indexEntry{id: id, poly: p, live: true})
	ix.slots[id] = s
	ix.buffer = append(ix.buffer, s)
	if len(ix.buffer) >= bufferSize {
		ix.flush()
	}
}

// Delete removes the polygon filed under id, if any.
func (ix *Index) Delete(id string) {
	s, ok := ix.slots[id]
	if !ok {
		return
	}
	delete(ix.slots, id)
	ix.entries[s] = indexEntry{}
	if dead := len(ix.entries) - len(ix.slots); dead > bufferSize && dead > len(ix.slots) {
		ix.compact()
	}
}

// flush merges the buffer with the trees of the lowest occupied levels into the first free
// level, like a carry in binary addition.
func (ix *Index) flush() {
	carry := ix.liveOf(ix.buffer)
	ix.buffer = ix.buffer[:0]
	for i := 0; ; i++ {
		if i == len(ix.levels) {
			ix.levels = append(ix.levels, level{})
		}
		if ix.levels[i].tree == nil {
			if len(carry) > 0 {
				ix.levels[i] = ix.build(carry)
			}
			return
		}
		carry = append(carry, ix.liveOf(ix.levels[i].slots)...)
		ix.levels[i] = level{}
	}
}

// liveOf returns the live slots of slots.
func (ix *Index) liveOf(slots []int) []int {
	out := make([]int, 0, len(slots))
	for _, s := range slots {
		if ix.entries[s].live {
			out = append(out, s)
		}
	}
	return out
}

// compact renumbers the live entries densely and bulk-loads them into one tree.
func (ix *Index) compact() {
	live := make([]indexEntry, 0, len(ix.slots))
	for _, e := range ix.entries {
		if e.live {
			ix.slots[e.id] = len(live)
			live = append(live, e)
		}
	}
	ix.entries, ix.buffer, ix.levels = live, nil, nil
	slots := make([]int, len(live))
	for i := range slots {
		slots[i] = i
	}
	if len(slots) > 0 {
		ix.load(slots)
	}
}

// load places slots in a single tree at the level its size belongs to.
func (ix *Index) load(slots []int) {
	k := 0
	for bufferSize<<k < len(slots) {
		k++
	}
	ix.levels = make([]level, k+1)
	ix.levels[k] = ix.build(slots)
}

func (ix *Index) build(slots []int) level {
	items := make([]rtree.BulkItem, len(slots))
	for i, s := range slots {
		items[i] = rtree.BulkItem{Box: ix.entries[s].poly.box, RecordID: s}
	}
	return level{tree: rtree.BulkLoad(items), slots: slots}
}

// search calls fn with the slot of every live polygon whose box meets box.
func (ix *Index) search(box rtree.Box, fn func(slot int)) {
	for _, s := range ix.buffer {
		if e := ix.entries[s]; e.live {
			if _, ok := intersectBoxes(box, e.poly.box); ok {
				fn(s)
			}
		}
	}
	for _, l := range ix.levels {
		if l.tree == nil {
			continue
		}
		_ = l.tree.RangeSearch(box, func(s int) error {
			if ix.entries[s].live {
				fn(s)
			}
			return nil
		})
	}
}

// Search returns the ids of the polygons whose bounding boxes meet b, sorted: the candidates
// for any spatial question about b.
func (ix *Index) Search(b Bounds) []string {
	var ids []string
	ix.search(b.box(), func(s int) { ids = append(ids, ix.entries[s].id) })
	slices.Sort(ids)
	return ids
}

// ConflictsDetail returns the polygons that p overlaps by more than OverlapEpsilonM2 with the
// shared areas, sorted by id. Neighbours that share only an edge or a corner are not conflicts.
func (ix *Index) ConflictsDetail(p Polygon) []Conflict {
	if p.IsZero() {
		return nil
	}
	var out []Conflict
	ix.search(p.box, func(s int) {
		if over, area := overlapBeyond(p, ix.entries[s].poly, OverlapEpsilonM2); over {
			out = append(out, Conflict{ID: ix.entries[s].id, AreaM2: area})
		}
	})
	slices.SortFunc(out, func(a, b Conflict) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Conflicts returns the ids of the polygons that p overlaps by more than OverlapEpsilonM2,
// sorted.
func (ix *Index) Conflicts(p Polygon) []string {
	cs := ix.ConflictsDetail(p)
	if len(cs) == 0 {
		return nil
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}
