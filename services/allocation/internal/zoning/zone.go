package zoning

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
	"github.com/zoneops/zoneops/libs/platform/text"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// ZoneStatus is where a zone stands in its legal life.
type ZoneStatus string

// Zone statuses.
const (
	// ZonePlanned is registered but not yet notified in the gazette; its developer may lay out
	// plots already.
	ZonePlanned ZoneStatus = "planned"
	// ZoneNotified is a Special Technology Zone in law.
	ZoneNotified ZoneStatus = "notified"
	// ZoneDenotified is no longer a zone (final); its plan is frozen.
	ZoneDenotified ZoneStatus = "denotified"
)

// ZoneStatuses returns every zone status.
func ZoneStatuses() []ZoneStatus { return []ZoneStatus{ZonePlanned, ZoneNotified, ZoneDenotified} }

var zoneMoves = map[Action]fsm.Move[ZoneStatus]{
	ActionNotify:   {From: []ZoneStatus{ZonePlanned}, To: ZoneNotified},
	ActionDenotify: {From: []ZoneStatus{ZoneNotified}, To: ZoneDenotified},
}

// Allows reports whether the state machine permits act from s.
func (s ZoneStatus) Allows(act Action) bool {
	_, err := fsm.Next(zoneMoves, "zone", act, s)
	return err == nil
}

// Zone is a Special Technology Zone: where it is, who runs it, and its legal status.
type Zone struct {
	ID       string       `json:"id"`
	Code     ZoneCode     `json:"code"`
	Name     string       `json:"name"`
	Province Province     `json:"province"`
	TimeZone string       `json:"time_zone"`
	Boundary *geo.Polygon `json:"boundary,omitempty"`
	// DeveloperTenantID is the licensed zone developer (a tenants-service tenant id) that runs
	// the zone. It is the record of who runs it; access follows the zone ids in the caller's
	// token (see Authorize).
	DeveloperTenantID string         `json:"developer_tenant_id"`
	Status            ZoneStatus     `json:"status"`
	NotifiedAt        *time.Time     `json:"notified_at,omitempty"`
	DenotifiedAt      *time.Time     `json:"denotified_at,omitempty"`
	Version           int64          `json:"version"`
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
	History           []HistoryEntry `json:"history"`
}

// ZoneInput is a zone registration as a request carries it, before parsing.
type ZoneInput struct {
	Code              string          `json:"code"`
	Name              string          `json:"name"`
	Province          string          `json:"province"`
	TimeZone          string          `json:"time_zone"`
	Boundary          json.RawMessage `json:"boundary,omitempty"`
	DeveloperTenantID string          `json:"developer_tenant_id"`
}

// ZoneSpec is a parsed, valid zone registration.
type ZoneSpec struct {
	Code              ZoneCode
	Name              string
	Province          Province
	TimeZone          string
	Boundary          *geo.Polygon
	DeveloperTenantID string
}

// ParseZone validates every field of a registration and reports all problems at once. An
// empty time zone means DefaultTimeZone; an absent or null boundary means none yet.
func ParseZone(in ZoneInput, p Policy) (ZoneSpec, error) {
	var f fault.Fields
	code, err := ParseZoneCode(in.Code)
	f.Merge("code", err)
	name, err := text.Name(in.Name, 2, 200)
	f.Merge("name", err)
	prov, err := ParseProvince(in.Province)
	f.Merge("province", err)
	tz, err := parseTimeZone(in.TimeZone, p)
	f.Merge("time_zone", err)
	boundary, err := optionalPolygon(in.Boundary)
	f.Merge("boundary", err)
	dev := strings.TrimSpace(in.DeveloperTenantID)
	if dev == "" {
		f.Add("developer_tenant_id", "required: the licensed zone developer that runs the zone")
	}
	if err := f.Err(); err != nil {
		return ZoneSpec{}, err
	}
	return ZoneSpec{Code: code, Name: name, Province: prov, TimeZone: tz, Boundary: boundary, DeveloperTenantID: dev}, nil
}

// optionalPolygon parses a boundary that may be absent (nil or JSON null).
func optionalPolygon(raw json.RawMessage) (*geo.Polygon, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil, nil
	}
	p, err := geo.ParsePolygon(raw)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// check validates a spec built without ParseZone.
func (s ZoneSpec) check(f *fault.Fields) {
	if _, err := ParseZoneCode(string(s.Code)); err != nil {
		f.Merge("code", err)
	}
	if _, err := text.Name(s.Name, 2, 200); err != nil {
		f.Merge("name", err)
	}
	if _, err := ParseProvince(string(s.Province)); err != nil {
		f.Merge("province", err)
	}
	if s.TimeZone != "" && !timeZoneShape.MatchString(s.TimeZone) {
		f.Add("time_zone", "must be an IANA time zone name such as Asia/Karachi")
	}
	if s.Boundary != nil && s.Boundary.IsZero() {
		f.Add("boundary", "must be a polygon or absent")
	}
	if strings.TrimSpace(s.DeveloperTenantID) == "" {
		f.Add("developer_tenant_id", "required: the licensed zone developer that runs the zone")
	}
}

// NewZone registers a planned zone. Whether the code is unique is the store's job.
func NewZone(id string, spec ZoneSpec, at time.Time, actor Actor) (*Zone, error) {
	var f fault.Fields
	checkID(&f, "id", id)
	audit.Check(&f, at, actor)
	spec.check(&f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if spec.TimeZone == "" {
		spec.TimeZone = DefaultTimeZone
	}
	at = at.UTC()
	z := &Zone{
		ID: id, Code: spec.Code, Name: spec.Name, Province: spec.Province, TimeZone: spec.TimeZone,
		Boundary: spec.Boundary, DeveloperTenantID: spec.DeveloperTenantID, CreatedAt: at,
	}
	z.record(ActionRegister, ZonePlanned, at, actor, "")
	return z, nil
}

func (z *Zone) record(act Action, to ZoneStatus, at time.Time, actor Actor, why string) {
	z.History = append(z.History, HistoryEntry{At: at, Actor: actor, Action: act, From: string(z.Status), To: string(to), Reason: why})
	z.Status, z.Version, z.UpdatedAt = to, z.Version+1, at
}

// transition checks the state machine first (a conflict is more telling than a missing
// reason), then the common arguments and the reason, and records the move.
func (z *Zone) transition(act Action, at time.Time, actor Actor, why string, reasonRequired bool) error {
	to, err := fsm.Next(zoneMoves, "zone", act, z.Status)
	if err != nil {
		return err
	}
	var f fault.Fields
	audit.Check(&f, at, actor)
	why = reason(&f, why, reasonRequired)
	if err := f.Err(); err != nil {
		return err
	}
	at = at.UTC()
	switch to {
	case ZoneNotified:
		z.NotifiedAt = ptr(at)
	case ZoneDenotified:
		z.DenotifiedAt = ptr(at)
	}
	z.record(act, to, at, actor, why)
	return nil
}

// Notify records the zone's notification in the gazette: planned → notified.
func (z *Zone) Notify(at time.Time, actor Actor) error {
	return z.transition(ActionNotify, at, actor, "", false)
}

// Denotify ends the zone: notified → denotified. A reason is required; its plan is frozen.
func (z *Zone) Denotify(at time.Time, actor Actor, why string) error {
	return z.transition(ActionDenotify, at, actor, why, true)
}

// Open reports whether the zone's plan may change: planned (its developer lays out plots ahead
// of notification) or notified.
func (z *Zone) Open() bool { return z.Status == ZonePlanned || z.Status == ZoneNotified }

// checkOpen refuses plan changes in a denotified zone with a StateError naming its status;
// what says what was refused ("add plots to").
func (z *Zone) checkOpen(what string) error {
	if z.Open() {
		return nil
	}
	return &fault.StateError{Entity: "zone " + string(z.Code), Action: what, Current: string(z.Status)}
}
