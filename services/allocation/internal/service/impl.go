package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Policy holds the configurable terms of both rule sets.
type Policy struct {
	Zoning  zoning.Policy
	Leasing leasing.Policy
}

// DefaultPolicy returns both rule sets' defaults.
func DefaultPolicy() Policy {
	return Policy{Zoning: zoning.DefaultPolicy(), Leasing: leasing.DefaultPolicy()}
}

// Validate reports configuration values outside sensible bounds.
func (p Policy) Validate() error {
	var f fault.Fields
	f.Merge("zoning", p.Zoning.Validate())
	f.Merge("leasing", p.Leasing.Validate())
	return f.Err()
}

// locations caches the time zones of zones by name: loading one reads the tz database.
var locations sync.Map // name → *time.Location

// LeasingFor returns the leasing policy for legal dates in zone z: the configured one with the
// zone's own time zone when the zone has one other than the default (and it can be loaded;
// otherwise the configured location stands, which is the default zone time).
func (p Policy) LeasingFor(z *zoning.Zone) leasing.Policy {
	out := p.Leasing
	if z == nil || z.TimeZone == "" || z.TimeZone == zoning.DefaultTimeZone {
		return out
	}
	if loc, ok := locations.Load(z.TimeZone); ok {
		out.Location = loc.(*time.Location)
		return out
	}
	load := p.Zoning.LoadLocation
	if load == nil {
		load = time.LoadLocation
	}
	loc, err := load(z.TimeZone)
	if err != nil || loc == nil {
		return out
	}
	locations.Store(z.TimeZone, loc)
	out.Location = loc
	return out
}

// systemActor is who acts on the service's own clock (offers lapsing, leases ending, missed
// milestones) and on licence events.
var systemActor = leasing.Actor{Subject: "zoneops-allocation", Role: audit.RoleSystem}

type service struct {
	st     *store.Store
	policy Policy
	now    func() time.Time
	newID  func() string
}

// New returns the allocation use cases over st, with the rules' policy, a clock and an id
// generator. A nil now is time.Now; a nil newID makes UUIDv7s (what the events' contract
// requires: ids are canonical lower-case UUIDs). Legal dates of a zone are counted in the
// zone's time zone (Policy.LeasingFor).
func New(st *store.Store, policy Policy, now func() time.Time, newID func() string) Service {
	if now == nil {
		now = time.Now
	}
	if newID == nil {
		newID = NewID
	}
	return &service{st: st, policy: policy, now: now, newID: newID}
}

// NewID returns a new UUIDv7, the ids of every allocation record.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// canonicalUUID reports whether s is a UUID in canonical lower-case form, as the events'
// contract spells ids.
func canonicalUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// renameField files a validation error's field (and its sub-fields) under another name, for
// rules whose field names differ from the request's.
func renameField(err error, from, to string) error {
	var v *fault.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	out := &fault.ValidationError{Fields: make([]fault.FieldError, len(v.Fields))}
	for i, f := range v.Fields {
		if f.Field == from || strings.HasPrefix(f.Field, from+".") {
			f.Field = to + strings.TrimPrefix(f.Field, from)
		}
		out.Fields[i] = f
	}
	return out
}

// parseStatuses checks a list filter's statuses against the allowed ones.
func parseStatuses[S ~string](field string, got, allowed []S) error {
	for i, s := range got {
		if !slices.Contains(allowed, s) {
			names := make([]string, len(allowed))
			for j, a := range allowed {
				names[j] = string(a)
			}
			return fault.Invalid(fmt.Sprintf("%s[%d]", field, i), "must be one of "+strings.Join(names, ", "))
		}
	}
	return nil
}

// emptyIfNil makes an empty page encode as [] rather than null.
func emptyIfNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

// readable loads one record and lets it through only if canRead allows the caller to see it.
func readable[T any](ctx context.Context, what, id string, load func(context.Context, string) (*T, error), canRead func(*T) error) (*T, error) {
	rec, err := load(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", what, err)
	}
	if err := canRead(rec); err != nil {
		return nil, fmt.Errorf("get %s %s: %w", what, id, err)
	}
	return rec, nil
}
