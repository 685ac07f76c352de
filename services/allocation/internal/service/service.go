// Package service holds the allocation use cases: it authorises the caller, loads what a rule
// needs inside one write transaction, applies the zoning or leasing rule, and stores the result
// with its events. The HTTP transport and the tenants-event consumer call it; nothing here
// knows about HTTP.
package service

import (
	"context"
	"encoding/json"

	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Principal is the caller as every rule sees it: the one type zoning and leasing take too, so
// the service passes it on as it is.
type Principal = authz.Principal[string]

// Service is every allocation use case. A zone argument names the zone by its id or its code
// (ISB); an unknown zone is fault.ErrNotFound.
type Service interface {
	// Zones.
	RegisterZone(ctx context.Context, p Principal, in zoning.ZoneInput) (*zoning.Zone, error)
	NotifyZone(ctx context.Context, p Principal, zoneID string) (*zoning.Zone, error)
	DenotifyZone(ctx context.Context, p Principal, zoneID, reason string) (*zoning.Zone, error)
	GetZone(ctx context.Context, p Principal, zoneID string) (*zoning.Zone, error)
	ListZones(ctx context.Context, p Principal, q ZoneQuery) (Page[*zoning.Zone], error)
	Occupancy(ctx context.Context, p Principal, zoneID string) (leasing.Occupancy, error)

	// Plots.
	CreatePlot(ctx context.Context, p Principal, zoneID string, in zoning.PlotInput) (*zoning.Plot, error)
	// ImportPlan takes a GeoJSON FeatureCollection and creates every plot or none.
	ImportPlan(ctx context.Context, p Principal, zoneID string, featureCollection []byte) ([]*zoning.Plot, error)
	SubdividePlot(ctx context.Context, p Principal, plotID string, parts []zoning.PlotInput) ([]*zoning.Plot, error)
	MergePlots(ctx context.Context, p Principal, zoneID string, in MergeInput) (*zoning.Plot, error)
	WithdrawPlot(ctx context.Context, p Principal, plotID, reason string) (*zoning.Plot, error)
	GetPlot(ctx context.Context, p Principal, plotID string) (*zoning.Plot, error)
	ListPlots(ctx context.Context, p Principal, zoneID string, q PlotQuery) (Page[*zoning.Plot], error)
	// PlanGeoJSON is the zone's live plots as a FeatureCollection a GIS tool opens.
	PlanGeoJSON(ctx context.Context, p Principal, zoneID string) (json.RawMessage, error)

	// Buildings and units.
	RegisterBuilding(ctx context.Context, p Principal, plotID string, in zoning.BuildingInput) (*zoning.Building, error)
	GetBuilding(ctx context.Context, p Principal, buildingID string) (*zoning.Building, error)
	RegisterUnit(ctx context.Context, p Principal, buildingID string, in zoning.UnitInput) (*zoning.Unit, error)
	GetUnit(ctx context.Context, p Principal, unitID string) (*zoning.Unit, error)
	ListUnits(ctx context.Context, p Principal, zoneID string, q UnitQuery) (Page[*zoning.Unit], error)

	// Allocation requests.
	SubmitRequest(ctx context.Context, p Principal, in leasing.RequestInput) (*leasing.Request, error)
	OfferSpace(ctx context.Context, p Principal, requestID string, in OfferInput) (*leasing.Request, error)
	AcceptOffer(ctx context.Context, p Principal, requestID string) (*leasing.Lease, error)
	DeclineOffer(ctx context.Context, p Principal, requestID, reason string) (*leasing.Request, error)
	WithdrawRequest(ctx context.Context, p Principal, requestID, reason string) (*leasing.Request, error)
	GetRequest(ctx context.Context, p Principal, requestID string) (*leasing.Request, error)
	ListRequests(ctx context.Context, p Principal, q RequestQuery) (Page[*leasing.Request], error)

	// Leases.
	TerminateLease(ctx context.Context, p Principal, leaseID string, in TerminateInput) (*leasing.Lease, error)
	RecordMilestone(ctx context.Context, p Principal, leaseID string, in MilestoneInput) (*leasing.Lease, error)
	GetLease(ctx context.Context, p Principal, leaseID string) (*leasing.Lease, error)
	ListLeases(ctx context.Context, p Principal, q LeaseQuery) (Page[*leasing.Lease], error)

	// Sweep does the work the calendar triggers, as the system: offers lapse, leases whose
	// term or notice ran out end, and missed construction milestones mark spaces idle.
	Sweep(ctx context.Context) (SweepReport, error)
}

// Page is one page of a list and the cursor of the next ("" at the end).
type Page[T any] = db.Page[T]

// ZoneQuery filters the zone list.
type ZoneQuery struct {
	Statuses []zoning.ZoneStatus
	Province string
	Cursor   string
	Limit    int
}

// PlotQuery filters a zone's plots.
type PlotQuery struct {
	Statuses []zoning.PlotStatus // default: live only
	LandUse  string
	Cursor   string
	Limit    int
}

// UnitQuery filters a zone's units.
type UnitQuery struct {
	BuildingID string
	Use        string
	Cursor     string
	Limit      int
}

// RequestQuery filters allocation requests; a tenant sees only its own, a zone developer those
// of its zones.
type RequestQuery struct {
	// Zone names the zone by code or id; one that does not exist is bad input under
	// ZoneField ("zone" when empty: the name of the query parameter it came from).
	Zone      string
	ZoneField string
	Statuses  []leasing.RequestStatus
	Cursor    string
	Limit     int
}

// LeaseQuery filters leases.
type LeaseQuery struct {
	// Zone and ZoneField are as in RequestQuery.
	Zone      string
	ZoneField string
	TenantID  string
	Statuses  []leasing.LeaseStatus
	Idle      bool
	Cursor    string
	Limit     int
}

// MergeInput names the plots to merge and what the new plot is.
type MergeInput struct {
	PlotIDs []string `json:"plot_ids"`
	Code    string   `json:"code"`
	LandUse string   `json:"land_use"`
}

// OfferInput is a zone developer's offer of a space on terms.
type OfferInput struct {
	Space leasing.SpaceRefInput `json:"space"`
	Terms leasing.TermsInput    `json:"terms"`
}

// TerminateInput gives notice on a lease. NoticeGivenOn defaults to today in zone time.
type TerminateInput struct {
	Reason        string `json:"reason"`
	NoticeGivenOn string `json:"notice_given_on,omitempty"`
}

// MilestoneInput records a construction milestone of a land lease.
type MilestoneInput struct {
	Milestone string `json:"milestone"` // construction_started | construction_completed
	On        string `json:"on"`        // YYYY-MM-DD
}

// SweepReport counts what a sweep changed.
type SweepReport struct {
	OffersExpired int `json:"offers_expired"`
	LeasesEnded   int `json:"leases_ended"`
	SpacesIdled   int `json:"spaces_idled"`
}
