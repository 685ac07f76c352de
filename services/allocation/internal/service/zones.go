package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Zones.

func (s *service) RegisterZone(ctx context.Context, p Principal, in zoning.ZoneInput) (*zoning.Zone, error) {
	if err := zoning.Authorize(p, zoning.ActionRegister, zoning.Resource{Type: zoning.ResourceZone}); err != nil {
		return nil, fmt.Errorf("register zone: %w", err)
	}
	spec, err := zoning.ParseZone(in, s.policy.Zoning)
	var f fault.Fields
	f.Merge("", err)
	// The developer is a tenants-service tenant, named in events by its UUID.
	if dev := strings.TrimSpace(in.DeveloperTenantID); dev != "" && !canonicalUUID(dev) {
		f.Add("developer_tenant_id", "must be the developer's tenant id, a UUID in canonical lower-case form")
	}
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("register zone: %w", err)
	}
	var out *zoning.Zone
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		at := s.now()
		z, err := zoning.NewZone(s.newID(), spec, at, p.Actor())
		if err != nil {
			return err
		}
		if err := tx.InsertZone(ctx, z); err != nil {
			return err
		}
		boundary, err := evPolygon(z.Boundary)
		if err != nil {
			return err
		}
		out = z
		return emit(ctx, tx, at, versioned{allocation.ZoneRegistered{
			ZoneID: z.ID, Code: string(z.Code), Name: z.Name, Province: allocation.Province(z.Province), TimeZone: z.TimeZone,
			Status: allocation.ZoneStatus(z.Status), DeveloperTenantID: z.DeveloperTenantID, Boundary: boundary, Actor: zoningActor(p.Actor()),
		}, z.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("register zone: %w", err)
	}
	return out, nil
}

// changeZone runs a status change of a zone under its lock and publishes zone.status_changed.
func (s *service) changeZone(ctx context.Context, p Principal, zoneID string, act zoning.Action,
	do func(z *zoning.Zone, at zoneTime) error) (*zoning.Zone, error) {
	zoneID, err := s.zoneID(ctx, zoneID)
	if err != nil {
		return nil, fmt.Errorf("%s zone: %w", act, err)
	}
	var out *zoning.Zone
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		z, err := tx.LockZone(ctx, zoneID)
		if err != nil {
			return err
		}
		if err := zoning.Authorize(p, act, zoning.ZoneResource(z)); err != nil {
			return err
		}
		from := z.Status
		at := zoneTime{at: s.now(), actor: p.Actor()}
		if err := do(z, at); err != nil {
			return err
		}
		if err := tx.UpdateZone(ctx, z); err != nil {
			return err
		}
		out = z
		return emit(ctx, tx, at.at, versioned{allocation.ZoneStatusChanged{
			ZoneID: z.ID, From: allocation.ZoneStatus(from), To: allocation.ZoneStatus(z.Status),
			Reason: lastReason(z.History, zoningReason), Actor: zoningActor(p.Actor()),
		}, z.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("%s zone: %w", act, err)
	}
	return out, nil
}

func (s *service) NotifyZone(ctx context.Context, p Principal, zoneID string) (*zoning.Zone, error) {
	return s.changeZone(ctx, p, zoneID, zoning.ActionNotify, func(z *zoning.Zone, at zoneTime) error {
		return z.Notify(at.at, at.actor)
	})
}

func (s *service) DenotifyZone(ctx context.Context, p Principal, zoneID, reason string) (*zoning.Zone, error) {
	return s.changeZone(ctx, p, zoneID, zoning.ActionDenotify, func(z *zoning.Zone, at zoneTime) error {
		return z.Denotify(at.at, at.actor, reason)
	})
}

func (s *service) GetZone(ctx context.Context, p Principal, zoneID string) (*zoning.Zone, error) {
	load := func(ctx context.Context, ref string) (*zoning.Zone, error) {
		id, err := s.zoneID(ctx, ref)
		if err != nil {
			return nil, err
		}
		return s.st.GetZone(ctx, id)
	}
	return readable(ctx, "zone", zoneID, load, func(z *zoning.Zone) error {
		return zoning.Authorize(p, zoning.ActionRead, zoning.ZoneResource(z))
	})
}

func (s *service) ListZones(ctx context.Context, p Principal, q ZoneQuery) (Page[*zoning.Zone], error) {
	if err := zoning.Authorize(p, zoning.ActionRead, zoning.Resource{Type: zoning.ResourceZone}); err != nil {
		return Page[*zoning.Zone]{}, fmt.Errorf("list zones: %w", err)
	}
	var f fault.Fields
	f.Merge("", parseStatuses("statuses", q.Statuses, zoning.ZoneStatuses()))
	if q.Province != "" {
		_, err := zoning.ParseProvince(q.Province)
		f.Merge("province", err)
	}
	if err := f.Err(); err != nil {
		return Page[*zoning.Zone]{}, fmt.Errorf("list zones: %w", err)
	}
	items, next, err := s.st.ListZones(ctx, store.ZoneFilter{Statuses: q.Statuses, Province: q.Province, Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[*zoning.Zone]{}, err
	}
	return Page[*zoning.Zone]{Items: emptyIfNil(items), NextCursor: next}, nil
}

// zoneTime is the instant and the actor of a change.
type zoneTime struct {
	at    time.Time
	actor zoning.Actor
}

// readZone checks that p may read records of rt in the zone named zoneRef (its id or code)
// and that the zone exists.
func (s *service) readZone(ctx context.Context, p Principal, rt zoning.ResourceType, zoneRef string) (*zoning.Zone, error) {
	zoneID, err := s.zoneID(ctx, zoneRef)
	if err != nil {
		return nil, err
	}
	if err := zoning.Authorize(p, zoning.ActionRead, zoning.Resource{Type: rt, Zone: zoneID}); err != nil {
		return nil, err
	}
	return s.st.GetZone(ctx, zoneID)
}

// Plots.

func (s *service) CreatePlot(ctx context.Context, p Principal, zoneID string, in zoning.PlotInput) (*zoning.Plot, error) {
	zoneID, err := s.zoneID(ctx, zoneID)
	if err != nil {
		return nil, fmt.Errorf("create plot: %w", err)
	}
	if err := zoning.Authorize(p, zoning.ActionCreate, zoning.Resource{Type: zoning.ResourcePlot, Zone: zoneID}); err != nil {
		return nil, fmt.Errorf("create plot: %w", err)
	}
	spec, err := zoning.ParsePlot(in, s.policy.Zoning)
	if err != nil {
		return nil, fmt.Errorf("create plot: %w", err)
	}
	var out *zoning.Plot
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		z, err := tx.LockZone(ctx, zoneID)
		if err != nil {
			return err
		}
		existing := zoning.ZonePlots{}
		if spec.Boundary != nil {
			near := spec.Boundary.Bounds()
			if existing.Index, existing.Codes, err = tx.LivePlotIndex(ctx, z.ID, &near); err != nil {
				return err
			}
		}
		taken, err := tx.PlotCodes(ctx, z.ID, spec.Code)
		if err != nil {
			return err
		}
		existing.Codes = merge(existing.Codes, taken)
		at := s.now()
		pl, err := zoning.NewPlot(s.newID(), z, spec, existing, at, p.Actor(), s.policy.Zoning)
		if err != nil {
			return err
		}
		if err := tx.InsertPlots(ctx, pl); err != nil {
			return err
		}
		ev, err := plotCreated(pl, p.Actor())
		if err != nil {
			return err
		}
		out = pl
		return emit(ctx, tx, at, ev)
	})
	if err != nil {
		return nil, fmt.Errorf("create plot: %w", err)
	}
	return out, nil
}

// merge adds b's entries to a (either may be nil).
func merge[K comparable, V any](a, b map[K]V) map[K]V {
	if a == nil {
		a = make(map[K]V, len(b))
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}

func (s *service) ImportPlan(ctx context.Context, p Principal, zoneID string, featureCollection []byte) ([]*zoning.Plot, error) {
	zoneID, err := s.zoneID(ctx, zoneID)
	if err != nil {
		return nil, fmt.Errorf("import plan: %w", err)
	}
	if err := zoning.Authorize(p, zoning.ActionImport, zoning.Resource{Type: zoning.ResourcePlot, Zone: zoneID}); err != nil {
		return nil, fmt.Errorf("import plan: %w", err)
	}
	features, err := zoning.DecodePlan(featureCollection, s.policy.Zoning)
	if err != nil {
		return nil, fmt.Errorf("import plan: %w", err)
	}
	codes := make([]zoning.PlotCode, 0, len(features))
	for _, f := range features {
		if c, err := zoning.ParsePlotCode(f.Code()); err == nil {
			codes = append(codes, c)
		}
	}
	var out []*zoning.Plot
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		z, err := tx.LockZone(ctx, zoneID)
		if err != nil {
			return err
		}
		index, indexed, err := tx.LivePlotIndex(ctx, z.ID, nil)
		if err != nil {
			return err
		}
		taken, err := tx.PlotCodes(ctx, z.ID, codes...)
		if err != nil {
			return err
		}
		at := s.now()
		plots, err := zoning.ImportPlan(z, zoning.ZonePlots{Index: index, Codes: merge(indexed, taken)}, features, s.newID, at, p.Actor(), s.policy.Zoning)
		if err != nil {
			return err
		}
		if err := tx.InsertPlots(ctx, plots...); err != nil {
			return err
		}
		evs := make([]versioned, len(plots))
		for i, pl := range plots {
			if evs[i], err = plotCreated(pl, p.Actor()); err != nil {
				return err
			}
		}
		out = plots
		return emit(ctx, tx, at, evs...)
	})
	if err != nil {
		return nil, fmt.Errorf("import plan: %w", err)
	}
	return out, nil
}

func (s *service) SubdividePlot(ctx context.Context, p Principal, plotID string, parts []zoning.PlotInput) ([]*zoning.Plot, error) {
	var f fault.Fields
	specs := make([]zoning.Part, len(parts))
	codes := make([]zoning.PlotCode, 0, len(parts))
	for i, in := range parts {
		spec, err := zoning.ParsePlot(in, s.policy.Zoning)
		f.Merge(fmt.Sprintf("parts[%d]", i), err)
		specs[i] = zoning.Part{ID: s.newID(), Spec: spec}
		codes = append(codes, spec.Code)
	}
	if len(parts) < 2 {
		f.Add("parts", "a subdivision needs at least two parts")
	}
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("subdivide plot: %w", err)
	}
	var out []*zoning.Plot
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, parent, err := tx.LockPlot(ctx, plotID)
		if err != nil {
			return err
		}
		if err := zoning.Authorize(p, zoning.ActionSubdivide, zoning.PlotResource(parent)); err != nil {
			return err
		}
		leased, err := tx.LeasedPlots(ctx, parent.ID)
		if err != nil {
			return err
		}
		taken, err := tx.PlotCodes(ctx, z.ID, codes...)
		if err != nil {
			return err
		}
		at := s.now()
		made, err := zoning.Subdivide(z, parent, specs, zoning.ZonePlots{Codes: taken}, leased, at, p.Actor(), s.policy.Zoning)
		if err != nil {
			return err
		}
		if err := tx.UpdatePlot(ctx, parent); err != nil {
			return err
		}
		if err := tx.InsertPlots(ctx, made...); err != nil {
			return err
		}
		ev := allocation.PlotSubdivided{ParentPlotID: parent.ID, ZoneID: z.ID, Actor: zoningActor(p.Actor())}
		for _, pl := range made {
			boundary, err := evPolygon(pl.Boundary)
			if err != nil {
				return err
			}
			ev.Parts = append(ev.Parts, allocation.PlotPart{PlotID: pl.ID, Code: string(pl.Code), AreaM2: pl.AreaM2.M2(),
				LandUse: allocation.LandUse(pl.LandUse), Boundary: boundary})
		}
		out = made
		return emit(ctx, tx, at, versioned{ev, parent.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("subdivide plot: %w", err)
	}
	return out, nil
}

func (s *service) MergePlots(ctx context.Context, p Principal, zoneID string, in MergeInput) (*zoning.Plot, error) {
	zoneID, err := s.zoneID(ctx, zoneID)
	if err != nil {
		return nil, fmt.Errorf("merge plots: %w", err)
	}
	if err := zoning.Authorize(p, zoning.ActionMerge, zoning.Resource{Type: zoning.ResourcePlot, Zone: zoneID}); err != nil {
		return nil, fmt.Errorf("merge plots: %w", err)
	}
	var f fault.Fields
	if len(in.PlotIDs) < 2 {
		f.Add("plot_ids", "name at least two plots to merge")
	}
	seen := map[string]int{}
	for i, id := range in.PlotIDs {
		field := fmt.Sprintf("plot_ids[%d]", i)
		if strings.TrimSpace(id) == "" {
			f.Add(field, "required")
			continue
		}
		if j, dup := seen[id]; dup {
			f.Addf(field, "repeats plot_ids[%d]", j)
		}
		seen[id] = i
	}
	code, err := zoning.ParsePlotCode(in.Code)
	f.Merge("code", err)
	landUse, err := zoning.ParseLandUse(in.LandUse)
	f.Merge("land_use", err)
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("merge plots: %w", err)
	}
	var out *zoning.Plot
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		z, err := tx.LockZone(ctx, zoneID)
		if err != nil {
			return err
		}
		var missing fault.Fields
		plots := make([]*zoning.Plot, len(in.PlotIDs))
		for i, id := range in.PlotIDs {
			pl, err := tx.Plot(ctx, id)
			switch {
			case errors.Is(err, fault.ErrNotFound):
				missing.Addf(fmt.Sprintf("plot_ids[%d]", i), "no plot %s in zone %s", id, z.Code)
			case err != nil:
				return err
			}
			plots[i] = pl
		}
		if err := missing.Err(); err != nil {
			return err
		}
		leased, err := tx.LeasedPlots(ctx, in.PlotIDs...)
		if err != nil {
			return err
		}
		taken, err := tx.PlotCodes(ctx, z.ID, code)
		if err != nil {
			return err
		}
		at := s.now()
		merged, err := zoning.Merge(z, plots, s.newID(), zoning.MergeSpec{Code: code, LandUse: landUse},
			zoning.ZonePlots{Codes: taken}, leased, at, p.Actor(), s.policy.Zoning)
		if err != nil {
			return err
		}
		for _, pl := range plots {
			if err := tx.UpdatePlot(ctx, pl); err != nil {
				return err
			}
		}
		if err := tx.InsertPlots(ctx, merged); err != nil {
			return err
		}
		boundary, err := evPolygon(merged.Boundary)
		if err != nil {
			return err
		}
		out = merged
		return emit(ctx, tx, at, versioned{allocation.PlotMerged{
			ZoneID: z.ID, SourcePlotIDs: merged.Parents, PlotID: merged.ID, Code: string(merged.Code), AreaM2: merged.AreaM2.M2(),
			LandUse: allocation.LandUse(merged.LandUse), Boundary: boundary, Actor: zoningActor(p.Actor()),
		}, merged.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("merge plots: %w", err)
	}
	return out, nil
}

func (s *service) WithdrawPlot(ctx context.Context, p Principal, plotID, reason string) (*zoning.Plot, error) {
	var out *zoning.Plot
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		_, pl, err := tx.LockPlot(ctx, plotID)
		if err != nil {
			return err
		}
		if err := zoning.Authorize(p, zoning.ActionWithdraw, zoning.PlotResource(pl)); err != nil {
			return err
		}
		leased, err := tx.LeasedPlots(ctx, pl.ID)
		if err != nil {
			return err
		}
		at := s.now()
		if err := pl.Withdraw(at, p.Actor(), reason, leased); err != nil {
			return err
		}
		if err := tx.UpdatePlot(ctx, pl); err != nil {
			return err
		}
		out = pl
		return emit(ctx, tx, at, versioned{allocation.PlotWithdrawn{PlotID: pl.ID, ZoneID: pl.ZoneID,
			Reason: lastReason(pl.History, zoningReason), Actor: zoningActor(p.Actor())}, pl.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("withdraw plot: %w", err)
	}
	return out, nil
}

func (s *service) GetPlot(ctx context.Context, p Principal, plotID string) (*zoning.Plot, error) {
	return readable(ctx, "plot", plotID, s.st.GetPlot, func(pl *zoning.Plot) error {
		return zoning.Authorize(p, zoning.ActionRead, zoning.PlotResource(pl))
	})
}

func (s *service) ListPlots(ctx context.Context, p Principal, zoneID string, q PlotQuery) (Page[*zoning.Plot], error) {
	var f fault.Fields
	f.Merge("", parseStatuses("statuses", q.Statuses, zoning.PlotStatuses()))
	if q.LandUse != "" {
		_, err := zoning.ParseLandUse(q.LandUse)
		f.Merge("land_use", err)
	}
	if err := f.Err(); err != nil {
		return Page[*zoning.Plot]{}, fmt.Errorf("list plots: %w", err)
	}
	z, err := s.readZone(ctx, p, zoning.ResourcePlot, zoneID)
	if err != nil {
		return Page[*zoning.Plot]{}, fmt.Errorf("list plots: %w", err)
	}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []zoning.PlotStatus{zoning.PlotLive}
	}
	items, next, err := s.st.ListPlots(ctx, store.PlotFilter{ZoneID: z.ID, Statuses: statuses, LandUse: q.LandUse, Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[*zoning.Plot]{}, err
	}
	return Page[*zoning.Plot]{Items: emptyIfNil(items), NextCursor: next}, nil
}

func (s *service) PlanGeoJSON(ctx context.Context, p Principal, zoneID string) (json.RawMessage, error) {
	z, err := s.readZone(ctx, p, zoning.ResourcePlot, zoneID)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	plots, err := s.st.LivePlots(ctx, z.ID)
	if err != nil {
		return nil, err
	}
	b, err := zoning.EncodePlan(plots)
	if err != nil {
		return nil, fmt.Errorf("plan of zone %s: %w", zoneID, err)
	}
	return json.RawMessage(b), nil
}

// Buildings and units.

func (s *service) RegisterBuilding(ctx context.Context, p Principal, plotID string, in zoning.BuildingInput) (*zoning.Building, error) {
	var out *zoning.Building
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, pl, err := tx.LockPlot(ctx, plotID)
		if err != nil {
			return err
		}
		if err := zoning.Authorize(p, zoning.ActionCreate, zoning.Resource{Type: zoning.ResourceBuilding, Zone: z.ID}); err != nil {
			return err
		}
		at := s.now()
		b, err := zoning.NewBuilding(s.newID(), z, pl, in, at, p.Actor())
		if err != nil {
			return err
		}
		if err := tx.InsertBuilding(ctx, b); err != nil {
			return err
		}
		out = b
		return emit(ctx, tx, at, versioned{allocation.BuildingRegistered{BuildingID: b.ID, PlotID: b.PlotID, ZoneID: b.ZoneID,
			Name: b.Name, Floors: b.Floors, Actor: zoningActor(p.Actor())}, b.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("register building: %w", err)
	}
	return out, nil
}

func (s *service) GetBuilding(ctx context.Context, p Principal, buildingID string) (*zoning.Building, error) {
	return readable(ctx, "building", buildingID, s.st.GetBuilding, func(b *zoning.Building) error {
		return zoning.Authorize(p, zoning.ActionRead, zoning.BuildingResource(b))
	})
}

func (s *service) RegisterUnit(ctx context.Context, p Principal, buildingID string, in zoning.UnitInput) (*zoning.Unit, error) {
	var out *zoning.Unit
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, b, err := tx.LockBuilding(ctx, buildingID)
		if err != nil {
			return err
		}
		if err := zoning.Authorize(p, zoning.ActionCreate, zoning.Resource{Type: zoning.ResourceUnit, Zone: z.ID}); err != nil {
			return err
		}
		pl, err := tx.Plot(ctx, b.PlotID)
		if err != nil {
			return err
		}
		at := s.now()
		u, err := zoning.NewUnit(s.newID(), z, pl, b, in, at, p.Actor())
		if err != nil {
			return err
		}
		if err := tx.InsertUnit(ctx, u); err != nil {
			return err
		}
		out = u
		// Requests ask for space by land use; a unit serves the land use of the plot its
		// building stands on (its own use says how it is fitted out).
		return emit(ctx, tx, at, versioned{allocation.UnitRegistered{UnitID: u.ID, BuildingID: u.BuildingID, PlotID: u.PlotID,
			ZoneID: u.ZoneID, Floor: u.Floor, AreaM2: u.AreaM2.M2(), Use: allocation.LandUse(pl.LandUse), Actor: zoningActor(p.Actor())}, u.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("register unit: %w", err)
	}
	return out, nil
}

func (s *service) GetUnit(ctx context.Context, p Principal, unitID string) (*zoning.Unit, error) {
	return readable(ctx, "unit", unitID, s.st.GetUnit, func(u *zoning.Unit) error {
		return zoning.Authorize(p, zoning.ActionRead, zoning.UnitResource(u))
	})
}

func (s *service) ListUnits(ctx context.Context, p Principal, zoneID string, q UnitQuery) (Page[*zoning.Unit], error) {
	if q.Use != "" {
		if _, err := zoning.ParseUnitUse(q.Use); err != nil {
			var f fault.Fields
			f.Merge("use", err)
			return Page[*zoning.Unit]{}, fmt.Errorf("list units: %w", f.Err())
		}
	}
	z, err := s.readZone(ctx, p, zoning.ResourceUnit, zoneID)
	if err != nil {
		return Page[*zoning.Unit]{}, fmt.Errorf("list units: %w", err)
	}
	items, next, err := s.st.ListUnits(ctx, store.UnitFilter{ZoneID: z.ID, BuildingID: q.BuildingID, Use: q.Use, Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[*zoning.Unit]{}, err
	}
	return Page[*zoning.Unit]{Items: emptyIfNil(items), NextCursor: next}, nil
}
