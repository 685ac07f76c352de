package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

func TestLogLinesCarryServiceAndCorrelationIDs(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "info", "tenants")
	if err != nil {
		t.Fatal(err)
	}
	ctx := reqctx.WithEventID(reqctx.WithRequestID(context.Background(), "req-1"), "evt-1")
	log.InfoContext(ctx, "hello")
	log.DebugContext(ctx, "hidden below the level")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	for k, want := range map[string]string{"process": "tenants", "request_id": "req-1", "event_id": "evt-1", "msg": "hello"} {
		if line[k] != want {
			t.Errorf("%s = %v, want %q", k, line[k], want)
		}
	}
}

func TestUnknownLevelIsRefused(t *testing.T) {
	if _, err := New(&bytes.Buffer{}, "loud", "x"); err == nil {
		t.Fatal("want an error for an unknown level")
	}
}
