package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// BenchmarkRelay measures how fast the relay drains a committed backlog into JetStream (an
// embedded server that fsyncs before it acks). It reports events/s; ns/op is per event.
// cmd/outboxbench prints the fuller picture, latency included.
func BenchmarkRelay(b *testing.B) {
	for _, dialect := range dbtest.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, dialect, outbox.Migrations)
			_, js := startNATS(b)
			const perTx = 100
			for done := 0; done < b.N; done += perTx {
				envs := make([]envelope.Envelope, 0, perTx)
				for i := range min(perTx, b.N-done) {
					envs = append(envs, event(b, testType, fmt.Sprintf("agg-%d", (done+i)%50), int64(done+i)/50+1))
				}
				if err := d.InTx(ctx, func(tx *sqlx.Tx) error { return outbox.Add(ctx, tx, envs...) }); err != nil {
					b.Fatal(err)
				}
			}
			reg := prometheus.NewRegistry()
			r := outbox.NewRelay(d, js, outbox.Options{Registerer: reg})
			b.ResetTimer()
			start := time.Now()
			stop := run(b, r)
			for published(b, reg, "") < float64(b.N) {
				if time.Since(start) > 2*time.Minute {
					b.Fatalf("relayed %v of %d events in 2 minutes", published(b, reg, ""), b.N)
				}
				time.Sleep(time.Millisecond)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			stop()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
		})
	}
}
