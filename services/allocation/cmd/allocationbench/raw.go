package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// rawLimits are the database's own rates in the same run, the limits the use cases' figures
// are set against: rows inserted in one transaction (what a plan import does, without any of
// its rules) and one-row transactions committed from the same number of workers (what lease
// acceptance does, without its checks).
type rawLimits struct {
	rows, commits float64 // per second
}

// measureRawLimits inserts rows rows of about a plot row's size in one transaction, then
// commits commits one-row transactions from workers goroutines, into a table it creates and
// drops.
func measureRawLimits(ctx context.Context, d *db.DB, rows, commits, workers int) (rawLimits, error) {
	var lim rawLimits
	if _, err := d.ExecContext(ctx, `CREATE TABLE bench_raw (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`); err != nil {
		return lim, fmt.Errorf("raw limits: %w", err)
	}
	defer d.ExecContext(context.WithoutCancel(ctx), `DROP TABLE bench_raw`)
	doc := strings.Repeat("x", 300)
	const perInsert = 500 // 1,000 parameters, within both dialects' limits
	start := time.Now()
	err := d.InTx(ctx, func(tx *sqlx.Tx) error {
		for done := 0; done < rows; done += perInsert {
			n := min(perInsert, rows-done)
			args := make([]any, 0, 2*n)
			for i := range n {
				args = append(args, fmt.Sprintf("bulk-%d", done+i), doc)
			}
			q := `INSERT INTO bench_raw (id, doc) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
			if _, err := tx.ExecContext(ctx, tx.Rebind(q), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return lim, fmt.Errorf("raw limits: bulk insert: %w", err)
	}
	lim.rows = float64(rows) / time.Since(start).Seconds()

	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	start = time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed := false
			for i := range next {
				if failed {
					continue // keep taking work, so the sender never blocks
				}
				if _, err := d.ExecContext(ctx, d.Rebind(`INSERT INTO bench_raw (id, doc) VALUES (?, ?)`), fmt.Sprintf("one-%d", i), doc); err != nil {
					errs <- err
					failed = true
				}
			}
		}()
	}
	for i := range commits {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return lim, fmt.Errorf("raw limits: one-row commits: %w", err)
	}
	lim.commits = float64(commits) / time.Since(start).Seconds()
	return lim, nil
}
