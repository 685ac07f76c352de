package allocation_test

import (
	"context"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/services/allocation"
)

// TestALicenceEventItCannotReadIsDeadLetteredUnderItsOwnUser: the service's NATS permissions
// cover the whole of its consumer's work, the dead-letter path too: a licence event that does
// not decode lands in the dead-letter stream under the consumer's subject, and the service's
// user cannot publish a licence event itself.
func TestALicenceEventItCannotReadIsDeadLetteredUnderItsOwnUser(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := e.JS.Publish(ctx, "zoneops.tenants.licence.granted", []byte("not an envelope")); err != nil {
			t.Fatal(err)
		}
		apitest.Eventually(t, "the undecodable event in the dead-letter stream", func() bool {
			n, err := apitest.StreamLen(e.JS, dlq.Stream)
			return err == nil && n == 1
		})
		s, err := e.JS.Stream(ctx, dlq.Stream)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := s.GetLastMsgForSubject(ctx, dlq.Subject(allocation.LicencesDurable))
		if err != nil || string(msg.Data) != "not an envelope" {
			t.Fatalf("last dead letter of %s: %v, %v", allocation.LicencesDurable, msg, err)
		}

		// A refused publish gets no answer: bound the wait for it.
		refused, cancelRefused := context.WithTimeout(ctx, time.Second)
		defer cancelRefused()
		if _, err := e.ServiceJS.Publish(refused, "zoneops.tenants.licence.granted", []byte("{}")); err == nil {
			t.Error("the allocation user published a licence event")
		}
	})
}
