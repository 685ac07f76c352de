package zoning

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/text"
)

// Limits of a building.
const (
	// MaxFloors bounds the floors above ground, ground floor included.
	MaxFloors = 200
	// MaxBasements bounds the floors below ground.
	MaxBasements = 5
)

// Building is a structure on a plot. Floors are numbered from 0 (ground) to Floors-1, and
// basements from -1 down to -Basements.
type Building struct {
	ID        string         `json:"id"`
	ZoneID    string         `json:"zone_id"`
	PlotID    string         `json:"plot_id"`
	Name      string         `json:"name"`
	Floors    int            `json:"floors"`
	Basements int            `json:"basements"`
	Version   int64          `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	History   []HistoryEntry `json:"history"`
}

// BuildingInput is a building as a request carries it.
type BuildingInput struct {
	Name      string `json:"name"`
	Floors    int    `json:"floors"`
	Basements int    `json:"basements"`
}

// HasFloor reports whether floor exists in the building.
func (b *Building) HasFloor(floor int) bool { return floor >= -b.Basements && floor < b.Floors }

// checkPlot refuses building work on a plot that is not live, not in zone, or in a closed zone.
func checkPlot(zone *Zone, plot *Plot, what string) error {
	if plot.ZoneID != zone.ID {
		return fmt.Errorf("plot %s is not in zone %s: %w", plot.Code, zone.Code, ErrOtherZone)
	}
	if err := zone.checkOpen(what + " in"); err != nil {
		return err
	}
	if plot.Status != PlotLive {
		return &fault.StateError{Entity: "plot " + string(plot.Code), Action: what + " on", Current: string(plot.Status)}
	}
	return nil
}

// NewBuilding registers a building on a live plot of an open zone. A building has 1 to
// MaxFloors floors above ground and 0 to MaxBasements basements.
func NewBuilding(id string, zone *Zone, plot *Plot, in BuildingInput, at time.Time, actor Actor) (*Building, error) {
	var f fault.Fields
	checkID(&f, "id", id)
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	if plot == nil {
		f.Add("plot", "required")
	}
	name, err := text.Name(in.Name, 1, 200)
	f.Merge("name", err)
	if in.Floors < 1 || in.Floors > MaxFloors {
		f.Addf("floors", "must be between 1 and %d (floors above ground, the ground floor included)", MaxFloors)
	}
	if in.Basements < 0 || in.Basements > MaxBasements {
		f.Addf("basements", "must be between 0 and %d", MaxBasements)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := checkPlot(zone, plot, "add buildings"); err != nil {
		return nil, err
	}
	at = at.UTC()
	b := &Building{
		ID: id, ZoneID: zone.ID, PlotID: plot.ID, Name: name, Floors: in.Floors, Basements: in.Basements,
		Version: 1, CreatedAt: at, UpdatedAt: at,
		History: []HistoryEntry{{At: at, Actor: actor, Action: ActionCreate}},
	}
	return b, nil
}

// Unit is leasable space in a building: part or all of one floor.
type Unit struct {
	ID         string         `json:"id"`
	ZoneID     string         `json:"zone_id"`
	PlotID     string         `json:"plot_id"`
	BuildingID string         `json:"building_id"`
	Label      string         `json:"label,omitempty"`
	Floor      int            `json:"floor"`
	AreaM2     Area           `json:"area_m2"`
	Use        UnitUse        `json:"use"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	History    []HistoryEntry `json:"history"`
}

// UnitInput is a unit as a request carries it.
type UnitInput struct {
	Label  string      `json:"label,omitempty"`
	Floor  int         `json:"floor"`
	AreaM2 json.Number `json:"area_m2"`
	Use    string      `json:"use"`
}

// NewUnit registers a leasable unit in building, on a floor that exists in it. The building
// must stand on plot, a live plot of an open zone.
func NewUnit(id string, zone *Zone, plot *Plot, building *Building, in UnitInput, at time.Time, actor Actor) (*Unit, error) {
	var f fault.Fields
	checkID(&f, "id", id)
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	if plot == nil {
		f.Add("plot", "required")
	}
	if building == nil {
		f.Add("building", "required")
	}
	label := strings.Join(strings.Fields(in.Label), " ")
	if len(label) > 64 || strings.IndexFunc(label, audit.BadInText) >= 0 {
		f.Add("label", "must be at most 64 characters without control characters")
	}
	area, err := ParseArea(string(in.AreaM2))
	f.Merge("area_m2", err)
	use, err := ParseUnitUse(in.Use)
	f.Merge("use", err)
	if building != nil && !building.HasFloor(in.Floor) {
		f.Addf("floor", "building %s has floors %d to %d", building.Name, -building.Basements, building.Floors-1)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if building.PlotID != plot.ID {
		return nil, fmt.Errorf("building %s does not stand on plot %s: %w", building.Name, plot.Code, ErrOtherPlot)
	}
	if err := checkPlot(zone, plot, "add units"); err != nil {
		return nil, err
	}
	at = at.UTC()
	u := &Unit{
		ID: id, ZoneID: zone.ID, PlotID: plot.ID, BuildingID: building.ID, Label: label, Floor: in.Floor,
		AreaM2: area, Use: use, Version: 1, CreatedAt: at, UpdatedAt: at,
		History: []HistoryEntry{{At: at, Actor: actor, Action: ActionCreate}},
	}
	return u, nil
}
