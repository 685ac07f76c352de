package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
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

func TestDuplicateKeysFindsEveryKeyGivenTwice(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string
		bad  bool
	}{
		{"unique keys", `{"time":"t","level":"INFO","msg":"m","request_id":"r"}`, nil, false},
		{"a key twice", `{"msg":"m","request_id":"r","status":200,"request_id":"r"}`, []string{"request_id"}, false},
		{"each repeat is listed", `{"a":1,"a":2,"a":3}`, []string{"a", "a"}, false},
		{"in a group", `{"msg":"m","http":{"code":1,"code":2}}`, []string{"http.code"}, false},
		{"the same key in two groups is no repeat", `{"a":{"id":1},"b":{"id":1},"id":2}`, nil, false},
		{"arrays and strings that look like keys are values", `{"list":[{"a":1},{"a":1}],"s":"\"a\":1"}`, nil, false},
		{"not JSON", `level=INFO msg=m`, nil, true},
		{"two lines", `{"a":1}{"a":1}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DuplicateKeys([]byte(tt.line))
			if (err != nil) != tt.bad {
				t.Fatalf("err %v, want error %v", err, tt.bad)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("duplicates %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLinesOfALoggerWithAttributesAndAContextNameEachKeyOnce(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "debug", "zoneops")
	if err != nil {
		t.Fatal(err)
	}
	ctx := reqctx.WithEventID(reqctx.WithRequestID(context.Background(), "req-1"), "evt-1")
	log.With("service", "tenants").InfoContext(ctx, "hello", "status", 200)
	dups, err := DuplicateKeys(bytes.TrimSpace(buf.Bytes()))
	if err != nil || len(dups) != 0 {
		t.Fatalf("line %s: duplicates %v (%v)", buf.String(), dups, err)
	}
}
