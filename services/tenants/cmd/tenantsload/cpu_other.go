//go:build !linux

package main

import (
	"context"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// processCPU is unknown here.
func processCPU() time.Duration { return 0 }

// serverCPU is unknown here.
func serverCPU(context.Context, *db.DB) (map[int]time.Duration, bool) { return nil, false }
