// Package consumer keeps the allocation service's projection of the tenants service's
// licences: the durable JetStream consumer "allocation-licences" of the TENANTS stream, run by
// libs/platform/consumer.Runner, applies each licence event through service.ApplyLicence (which
// says what each event does) inside the runner's transaction.
package consumer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/consumer"
	"github.com/zoneops/zoneops/libs/platform/work"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
)

// Name is the durable consumer's name, also its key in processed_events.
const Name = "allocation-licences"

// licenceTypePrefix begins the type of every tenants licence event.
const licenceTypePrefix = "zoneops.tenants.licence."

// Subjects are the TENANTS subjects the consumer reads: every licence event.
var Subjects = []string{"zoneops.tenants.licence.>"}

// Types are the registered event types that Subjects select: every licence event type, each
// of which gets its series of the consumer's metrics at start.
func Types() []string {
	var out []string
	for _, t := range events.Types() {
		if strings.HasPrefix(envelope.Subject(t), strings.TrimSuffix(Subjects[0], ">")) {
			out = append(out, t)
		}
	}
	return out
}

// Config returns the runner configuration of the licence consumer: name, stream, subjects,
// the events registry's strict decoder, the handler and the clock. The caller adds the
// logger, the metrics registry and any tuning.
func Config(st *store.Store, policy service.Policy, now func() time.Time) consumer.Config {
	if now == nil {
		now = time.Now
	}
	return consumer.Config{
		Name:           Name,
		Stream:         envelope.StreamTenants,
		FilterSubjects: Subjects,
		Types:          Types(),
		Decode:         events.Decode,
		Handler:        Handler(st, policy, now),
		Now:            now,
	}
}

// Handler applies one licence event in the runner's transaction. A redelivery is a no-op (the
// runner's processed-events table); an event older than what was applied (Event.Advance)
// changes nothing, except that a late licence.granted still records whose licence it is and
// for which zone; events that do not move the status only advance the version. The lease
// events it queues leave at the runner's commit (the service sets AfterCommit to the relay's
// Notify). now is the service's clock: it dates lease terminations and their events.
func Handler(st *store.Store, policy service.Policy, now func() time.Time) consumer.Handler {
	if now == nil {
		now = time.Now
	}
	dialect := st.DB().Dialect
	return func(ctx context.Context, tx *sqlx.Tx, ev consumer.Event) error {
		ch, applies, err := change(ev)
		if err != nil {
			return err
		}
		fresh, err := ev.Advance(ctx, tx)
		if err != nil {
			return err
		}
		granted := ch.TenantID != ""
		if !applies || (!fresh && !granted) {
			return nil
		}
		if _, err := service.ApplyLicence(ctx, &store.Tx{Tx: work.Wrap(tx, dialect)}, ch, policy, now()); err != nil {
			return fmt.Errorf("licence %s: %w", ch.LicenceID, err)
		}
		return nil
	}
}

// change reads what a licence event says about the licence; applies is false for events that
// do not change the projection.
func change(ev consumer.Event) (service.LicenceChange, bool, error) {
	ch := service.LicenceChange{Version: ev.Envelope.AggregateVersion, At: ev.Envelope.Time}
	switch p := ev.Payload.(type) {
	case tenants.LicenceGranted:
		ch.LicenceID, ch.Status, ch.TenantID, ch.ZoneCode = p.LicenceID, leasing.LicenceActive, p.TenantID, p.Zone
	case tenants.LicenceSuspended:
		ch.LicenceID, ch.Status = p.LicenceID, leasing.LicenceSuspended
	case tenants.LicenceReinstated:
		ch.LicenceID, ch.Status = p.LicenceID, leasing.LicenceActive
	case tenants.LicenceExpired:
		ch.LicenceID, ch.Status = p.LicenceID, leasing.LicenceExpired
	case tenants.LicenceRevoked:
		ch.LicenceID, ch.Status = p.LicenceID, leasing.LicenceRevoked
	case tenants.LicenceSurrendered:
		ch.LicenceID, ch.Status = p.LicenceID, leasing.LicenceSurrendered
	case nil:
		return ch, false, fmt.Errorf("event %s (%s) has no decoded payload: configure events.Decode: %w", ev.Envelope.ID, ev.Envelope.Type, consumer.ErrPoison)
	default:
		// Licence events that do not move the licence's status (a show-cause notice, the
		// licensee's reply, types added later) are processed and change nothing: tenants may
		// add a licence event without allocation dead-lettering it.
		if strings.HasPrefix(ev.Envelope.Type, licenceTypePrefix) {
			return ch, false, nil
		}
		return ch, false, fmt.Errorf("event %s: %s is not a licence event: %w", ev.Envelope.ID, ev.Envelope.Type, consumer.ErrPoison)
	}
	return ch, true, nil
}
