//go:build linux

package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// processCPU is the CPU time (user and system) the process has used so far; 0 if unknown.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTick is the unit of /proc/<pid>/stat times (USER_HZ, 100 on Linux's ABI).
const clockTick = 10 * time.Millisecond

// serverCPU samples the CPU time of the PostgreSQL backends serving database d, when the
// server runs on this machine (their /proc entries are readable); ok is false otherwise.
// Comparing two samples counts backends that started in between from zero.
func serverCPU(ctx context.Context, d *db.DB) (map[int]time.Duration, bool) {
	if d.Dialect != db.Postgres {
		return nil, false
	}
	var pids []int
	if err := d.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`); err != nil {
		return nil, false
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return nil, false
		}
		// Fields after the parenthesised command: state is field 3, utime 14, stime 15.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 13 {
			return nil, false
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(u+s) * clockTick
	}
	return out, true
}
