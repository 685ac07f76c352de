package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/zoneops/zoneops/libs/platform/benchx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// besideResult is the latency of small writes (registering a zone: one row and its event)
// made one after another, alone and while slow reads of the big zone run beside them.
type besideResult struct {
	how           string
	writes        int
	reads         int64
	p50, p99, max time.Duration
}

// readers are the goroutines that run slow reads during a besideWrites point.
const readers = 2

// besideWrites times n zone registrations three ways: alone; beside loops of a slow read on
// the read pool (what the stores do with stand-alone reads); and, on SQLite, beside the same
// loops on the write connection (where every read ran before the read pool), which is what
// the read pool removes: a write waiting for a read to finish. The slow read is the previous
// occupancy report, every live plot and unit of the zone loaded into Go (OccupancyInputs and
// leasing.ComputeOccupancy), so the figures show what a heavy list or report does to writes.
func besideWrites(ctx context.Context, d *db.DB, svc service.Service, zoneID string, n int, tag string) ([]besideResult, error) {
	operator := service.Principal{Subject: "bench-operator", Role: "operator"}
	slowRead := func(st *store.Store) func(context.Context) error {
		return func(ctx context.Context) error {
			spaces, leases, waiting, err := st.OccupancyInputs(ctx, zoneID)
			if err == nil {
				leasing.ComputeOccupancy(zoneID, spaces, leases, waiting)
			}
			return err
		}
	}
	type point struct {
		how  string
		read func(context.Context) error // nil: writes alone
	}
	points := []point{
		{"writes alone", nil},
		{fmt.Sprintf("beside %d slow-read loops on the read pool", readers), slowRead(store.New(d, nil))},
	}
	if d.Dialect == db.SQLite {
		// A handle on the same pools without a read pool of its own: Reader is the writer.
		points = append(points, point{fmt.Sprintf("beside %d slow-read loops on the write connection (before)", readers),
			slowRead(store.New(&db.DB{DB: d.DB, Dialect: d.Dialect}, nil))})
	}
	var out []besideResult
	for pi, p := range points {
		rctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var reads atomic.Int64
		var readErr error
		var once sync.Once
		if p.read != nil {
			for range readers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for rctx.Err() == nil {
						if err := p.read(rctx); err != nil && rctx.Err() == nil {
							once.Do(func() { readErr = err })
							return
						}
						reads.Add(1)
					}
				}()
			}
		}
		lat := make([]time.Duration, 0, n)
		var err error
		for i := range n {
			start := time.Now()
			code := fmt.Sprintf("W%s%d%04d", tag, pi, i)
			if _, err = svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: code, Name: "Write " + code, Province: "punjab",
				DeveloperTenantID: service.NewID()}); err != nil {
				break
			}
			lat = append(lat, time.Since(start))
		}
		stop()
		wg.Wait()
		if err != nil {
			return nil, fmt.Errorf("write beside reports: %w", err)
		}
		if readErr != nil {
			return nil, fmt.Errorf("report beside writes: %w", readErr)
		}
		slices.Sort(lat)
		out = append(out, besideResult{how: p.how, writes: n, reads: reads.Load(),
			p50: quantile(lat, 0.50), p99: quantile(lat, 0.99), max: lat[len(lat)-1]})
	}
	return out, nil
}

// printBeside prints, per backend and way of reading, the median (min–max) over the runs of
// the writes' latencies and of the p99's ratio to the writes' p99 alone in the same run.
func printBeside(out io.Writer, results [][]result) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "writes beside slow reads\t\twrites\treads\twrite p50\twrite p99\tmax\tp99 / alone\t")
	for _, rs := range results {
		if len(rs) == 0 {
			continue
		}
		for i, b := range rs[0].beside {
			at := func(r result) besideResult { return r.beside[i] }
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", rs[0].backend, b.how, b.writes,
				over(rs, func(r result) float64 { return float64(at(r).reads) }).Format(count),
				over(rs, func(r result) float64 { return millis(at(r).p50) }).Format(benchx.Millis),
				over(rs, func(r result) float64 { return millis(at(r).p99) }).Format(benchx.Millis),
				over(rs, func(r result) float64 { return millis(at(r).max) }).Format(benchx.Millis),
				over(rs, func(r result) float64 {
					return float64(at(r).p99) / float64(max(r.beside[0].p99, time.Microsecond))
				}).Format(benchx.Times))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nEach write registers a zone (its row and its event in one transaction); each slow read loads every live plot")
	fmt.Fprintln(out, "and unit of the planned zone into Go (the occupancy report before it was summed in the database).")
	fmt.Fprintln(out)
	return nil
}
