package reqctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

func TestIDsRoundTripThroughContext(t *testing.T) {
	ctx := context.Background()
	if got := reqctx.RequestIDFrom(ctx); got != "" {
		t.Fatalf("empty context request id = %q, want empty", got)
	}
	if got := reqctx.EventIDFrom(ctx); got != "" {
		t.Fatalf("empty context event id = %q, want empty", got)
	}
	ctx = reqctx.WithEventID(reqctx.WithRequestID(ctx, "req-1"), "evt-1")
	if got := reqctx.RequestIDFrom(ctx); got != "req-1" {
		t.Errorf("request id = %q, want req-1", got)
	}
	if got := reqctx.EventIDFrom(ctx); got != "evt-1" {
		t.Errorf("event id = %q, want evt-1", got)
	}
}

func TestLogHandlerAddsIDsFromContext(t *testing.T) {
	tests := []struct {
		name      string
		ctx       context.Context
		wantReq   string
		wantEvent string
	}{
		{"no ids adds nothing", context.Background(), "", ""},
		{"request id only", reqctx.WithRequestID(context.Background(), "r1"), "r1", ""},
		{"event id only", reqctx.WithEventID(context.Background(), "e1"), "", "e1"},
		{"both ids", reqctx.WithEventID(reqctx.WithRequestID(context.Background(), "r1"), "e1"), "r1", "e1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(reqctx.LogHandler(slog.NewJSONHandler(&buf, nil))).With("svc", "x")
			logger.InfoContext(tt.ctx, "hello")
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("log line is not JSON: %v: %s", err, buf.String())
			}
			if got, _ := rec["request_id"].(string); got != tt.wantReq {
				t.Errorf("request_id = %q, want %q", got, tt.wantReq)
			}
			if got, _ := rec["event_id"].(string); got != tt.wantEvent {
				t.Errorf("event_id = %q, want %q", got, tt.wantEvent)
			}
			if rec["svc"] != "x" {
				t.Errorf("attributes from With were lost: %v", rec)
			}
		})
	}
}
