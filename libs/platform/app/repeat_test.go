package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
)

func TestRepeatRunsAtOnceThenOncePerTickUntilTheContextEnds(t *testing.T) {
	tests := []struct {
		name  string
		ticks int
	}{
		{"no tick: the run at start only", 0},
		{"one tick", 1},
		{"three ticks", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ticks := make(chan time.Time)
			runs := make(chan struct{}, tt.ticks+1)
			done := make(chan error, 1)
			go func() {
				done <- app.Repeat(ctx, time.Hour, ticks, func(context.Context) { runs <- struct{}{} })
			}()
			<-runs // the run at start
			for i := 0; i < tt.ticks; i++ {
				ticks <- time.Time{}
				<-runs
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("Repeat = %v, want nil when ctx ends", err)
			}
			if n := len(runs); n != 0 {
				t.Fatalf("%d runs more than 1 + %d ticks", n, tt.ticks)
			}
		})
	}
}

func TestNoTickIsTakenWhileARunIsGoing(t *testing.T) {
	// The loop tests of the services rely on this: a send on an unbuffered ticks that returned
	// means the run before it has finished.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ticks := make(chan time.Time)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	first := true
	go func() {
		done <- app.Repeat(ctx, time.Hour, ticks, func(context.Context) {
			if first {
				first = false
				close(started)
				<-release
			}
		})
	}()
	<-started
	// A send without waiting succeeds only if a receiver is waiting on ticks right now.
	select {
	case ticks <- time.Time{}:
		t.Fatal("a tick was taken while the run at start was still going")
	default:
	}
	close(release)
	ticks <- time.Time{} // taken once the run at start has returned
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
