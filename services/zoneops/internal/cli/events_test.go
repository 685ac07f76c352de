package cli

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

const grantedType = "zoneops.tenants.licence.granted.v1"

// publishEnvelope publishes an envelope for aggregate id to the TENANTS stream and returns it.
func publishEnvelope(t *testing.T, js jetstream.JetStream, id string, version int64) envelope.Envelope {
	t.Helper()
	e, err := envelope.New("/zoneops/tenants", grantedType, id, version, testNow,
		map[string]any{"licence_id": id, "zone": "ISB"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := envelope.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := js.Publish(ctx, envelope.Subject(grantedType), data, jetstream.WithMsgID(e.ID)); err != nil {
		t.Fatal(err)
	}
	return e
}

// startNATS runs an embedded server with the TENANTS stream only: the other streams are
// missing on purpose, since tail must skip them.
func startNATS(t *testing.T) (*natsx.Embedded, jetstream.JetStream) {
	t.Helper()
	srv := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}}); err != nil {
		t.Fatal(err)
	}
	return srv, js
}

func TestEventsTailFromStartShowsPublishedEnvelopes(t *testing.T) {
	srv, js := startNATS(t)
	e1 := publishEnvelope(t, js, "lic-0001", 1)
	e2 := publishEnvelope(t, js, "lic-0002", 3)

	res := runCLI(t, nil, "", "--nats-url", srv.URL(), "events", "tail", "--from-start", "-n", "2")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), res.stdout)
	}
	for i, want := range []struct {
		e envelope.Envelope
		v string
	}{{e1, "v1"}, {e2, "v3"}} {
		for _, part := range []string{"2026-03-01T09:00:00Z", grantedType, want.e.AggregateID, want.v, string(want.e.Data)} {
			if !strings.Contains(lines[i], part) {
				t.Errorf("line %d %q lacks %q", i, lines[i], part)
			}
		}
	}

	res = runCLI(t, nil, "", "--nats-url", srv.URL(), "-o", "json", "events", "tail", "--from-start", "-n", "1")
	got, err := envelope.Parse([]byte(strings.TrimSpace(res.stdout)))
	if err != nil || got.ID != e1.ID {
		t.Fatalf("-o json printed %q: %v", res.stdout, err)
	}
}

func TestEventsTailStartsAtNewEventsAndFilters(t *testing.T) {
	srv, js := startNATS(t)
	publishEnvelope(t, js, "old-licence", 1)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		done <- runCLIContext(ctx, t, nil, "", "--nats-url", srv.URL(), "events", "tail",
			"--subject", "zoneops.tenants.licence.>", "-n", "1")
	}()
	// The tail's consumer exists at some unknown moment; keep publishing until it has seen one.
	var res result
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case res = <-done:
			break wait
		case <-tick.C:
			publishEnvelope(t, js, "new-licence", 1)
		case <-ctx.Done():
			t.Fatal("tail never returned")
		}
	}
	if res.code != 0 || !strings.Contains(res.stdout, "new-licence") || strings.Contains(res.stdout, "old-licence") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", res.code, res.stdout, res.stderr)
	}
}

func TestEventsTailEndsCleanlyOnCancel(t *testing.T) {
	srv, _ := startNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	res := runCLIContext(ctx, t, nil, "", "--nats-url", srv.URL(), "events", "tail")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
}

func TestEventsTailWithoutMatchingStreamFails(t *testing.T) {
	srv, _ := startNATS(t)
	res := runCLI(t, nil, "", "--nats-url", srv.URL(), "events", "tail", "--subject", "zoneops.allocation.>")
	if res.code != 1 || !strings.Contains(res.stderr, "no zoneops stream") {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
}

func TestDLQListAndReplay(t *testing.T) {
	srv, js := startNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dlq.EnsureStream(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"not":"an envelope"}`)
	seq, err := dlq.Publish(ctx, js, dlq.Entry{
		Consumer: "allocation-licences", Reason: "decode: missing id",
		OriginalStream: envelope.StreamTenants, OriginalSubject: "zoneops.tenants.licence.granted", OriginalSeq: 7,
		At: testNow, Data: body, Header: nats.Header{"Traceparent": {"00-abc"}},
	})
	if err != nil {
		t.Fatal(err)
	}

	res := runCLI(t, nil, "", "--nats-url", srv.URL(), "dlq", "list", "--consumer", "allocation-licences")
	for _, want := range []string{"allocation-licences", "TENANTS#7", "decode: missing id", "2026-03-01T09:00:00Z"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("list lacks %q:\n%s%s", want, res.stdout, res.stderr)
		}
	}
	res = runCLI(t, nil, "", "--nats-url", srv.URL(), "-o", "json", "dlq", "list")
	var listed struct {
		Items []dlqEntry `json:"items"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &listed); err != nil || len(listed.Items) != 1 ||
		listed.Items[0].Seq != seq || !jsonEqual(t, string(listed.Items[0].Data), string(body)) {
		t.Fatalf("json list %s: %v", res.stdout, err)
	}

	before, _ := js.Stream(ctx, envelope.StreamTenants)
	info, _ := before.Info(ctx)
	res = runCLI(t, nil, "", "--nats-url", srv.URL(), "dlq", "replay", strconv.FormatUint(seq, 10))
	if res.code != 0 {
		t.Fatalf("replay exit %d: %s", res.code, res.stderr)
	}
	after, _ := before.Info(ctx)
	if after.State.Msgs != info.State.Msgs+1 {
		t.Errorf("TENANTS holds %d messages after replay, want %d", after.State.Msgs, info.State.Msgs+1)
	}
	if res := runCLI(t, nil, "", "--nats-url", srv.URL(), "dlq", "list"); strings.Contains(res.stdout, "allocation-licences") {
		t.Errorf("entry still listed after replay:\n%s", res.stdout)
	}
	if res := runCLI(t, nil, "", "--nats-url", srv.URL(), "dlq", "replay", "x"); res.code != 1 {
		t.Errorf("bad seq: exit %d", res.code)
	}
}

func TestSubjectFilters(t *testing.T) {
	tenants := []string{"zoneops.tenants.>"}
	tests := []struct {
		subject    string
		wantFilter []string
		wantOK     bool
	}{
		{"zoneops.>", nil, true},
		{">", nil, true},
		{"zoneops.tenants.>", nil, true},
		{"zoneops.*.>", nil, true},
		{"zoneops.tenants.licence.>", []string{"zoneops.tenants.licence.>"}, true},
		{"zoneops.*.licence.granted", []string{"zoneops.*.licence.granted"}, true},
		{"zoneops.allocation.>", nil, false},
		{"zoneops.tenants", nil, false},
		{"other.>", nil, false},
	}
	for _, tt := range tests {
		f, ok := filterFor(tt.subject, tenants)
		if ok != tt.wantOK || strings.Join(f, ",") != strings.Join(tt.wantFilter, ",") {
			t.Errorf("filterFor(%q) = %v, %v; want %v, %v", tt.subject, f, ok, tt.wantFilter, tt.wantOK)
		}
	}
}
