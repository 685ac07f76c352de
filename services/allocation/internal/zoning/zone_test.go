package zoning

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestParseZoneReportsEveryBadFieldAtOnce(t *testing.T) {
	in := ZoneInput{
		Code: "islamabad", Name: " ", Province: "Punjab", TimeZone: "PKT",
		Boundary: json.RawMessage(`{"type":"MultiPolygon","coordinates":[]}`), DeveloperTenantID: "",
	}
	v := faulttest.WantFields(t, func() error { _, err := ParseZone(in, Policy{}); return err }(),
		"code", "name", "province", "time_zone", "boundary", "developer_tenant_id")
	if r := reasonOf(v, "boundary"); !strings.Contains(r, "MultiPolygon") {
		t.Errorf("boundary reason %q", r)
	}
}

func TestParseZoneNormalisesAValidRegistration(t *testing.T) {
	in := ZoneInput{
		Code: "HRP", Name: "  Haripur   Special Technology Zone ", Province: "khyber_pakhtunkhwa",
		Boundary: json.RawMessage(rectJSON(0, 0, 2000, 1500)), DeveloperTenantID: " tenant-9 ",
	}
	s, err := ParseZone(in, Policy{})
	must(t, err)
	if s.Code != "HRP" || s.Name != "Haripur Special Technology Zone" || s.TimeZone != "Asia/Karachi" || s.DeveloperTenantID != "tenant-9" || s.Boundary == nil {
		t.Fatalf("spec %+v", s)
	}
	in.Boundary = json.RawMessage(`null`)
	s, err = ParseZone(in, Policy{})
	must(t, err)
	if s.Boundary != nil {
		t.Errorf("null boundary parsed as %v", s.Boundary)
	}
}

func TestNewZoneIsPlannedWithItsRegistrationInHistory(t *testing.T) {
	z, err := NewZone("zone-isb", zoneSpec(t), t0.In(time.FixedZone("PKT", 5*3600)), operator)
	must(t, err)
	if z.Status != ZonePlanned || z.Version != 1 || !z.CreatedAt.Equal(t0) || z.CreatedAt.Location() != time.UTC {
		t.Fatalf("zone %+v", z)
	}
	if len(z.History) != 1 || !reflect.DeepEqual(z.History[0], HistoryEntry{At: t0, Actor: operator, Action: ActionRegister, To: "planned"}) {
		t.Fatalf("history %+v", z.History)
	}
	_, err = NewZone("", ZoneSpec{}, time.Time{}, Actor{})
	faulttest.WantFields(t, err, "id", "at", "actor.subject", "code", "name", "province", "developer_tenant_id")
}

func TestZoneTransitions(t *testing.T) {
	tests := []struct {
		name    string
		from    ZoneStatus
		act     func(z *Zone) error
		action  string
		want    ZoneStatus
		illegal bool
	}{
		{"notify a planned zone", ZonePlanned, func(z *Zone) error { return z.Notify(day(5), operator) }, "notify", ZoneNotified, false},
		{"denotify a notified zone", ZoneNotified, func(z *Zone) error { return z.Denotify(day(5), operator, "developer licence revoked") }, "denotify", ZoneDenotified, false},
		{"notify a notified zone", ZoneNotified, func(z *Zone) error { return z.Notify(day(5), operator) }, "notify", "", true},
		{"notify a denotified zone", ZoneDenotified, func(z *Zone) error { return z.Notify(day(5), operator) }, "notify", "", true},
		{"denotify a planned zone", ZonePlanned, func(z *Zone) error { return z.Denotify(day(5), operator, "never built") }, "denotify", "", true},
		{"denotify a denotified zone", ZoneDenotified, func(z *Zone) error { return z.Denotify(day(5), operator, "again") }, "denotify", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := zoneIn(t, tt.from)
			version, history := z.Version, len(z.History)
			err := tt.act(z)
			if tt.illegal {
				wantState(t, err, tt.action, string(tt.from))
				if z.Status != tt.from || z.Version != version || len(z.History) != history {
					t.Fatalf("a refused transition changed the zone")
				}
				return
			}
			must(t, err)
			if z.Status != tt.want || z.Version != version+1 {
				t.Fatalf("status %s v%d", z.Status, z.Version)
			}
			h := z.History[len(z.History)-1]
			if h.Action != Action(tt.action) || h.From != string(tt.from) || h.To != string(tt.want) || !h.At.Equal(day(5)) || h.Actor != operator {
				t.Fatalf("history %+v", h)
			}
			if ZoneStatus(tt.from).Allows(Action(tt.action)) != !tt.illegal {
				t.Errorf("Allows disagrees with the transition")
			}
		})
	}
}

func TestDenotifyNeedsAReasonAndRecordsIt(t *testing.T) {
	z := zoneIn(t, ZoneNotified)
	faulttest.WantFields(t, z.Denotify(day(5), operator, "  "), "reason")
	faulttest.WantFields(t, z.Denotify(time.Time{}, Actor{}, "x\x00"), "at", "actor.subject", "reason")
	if z.Status != ZoneNotified {
		t.Fatalf("refused denotification changed the status")
	}
	must(t, z.Denotify(day(5), operator, " developer licence revoked "))
	if h := z.History[len(z.History)-1]; h.Reason != "developer licence revoked" || z.DenotifiedAt == nil || !z.DenotifiedAt.Equal(day(5)) {
		t.Fatalf("history %+v denotified %v", h, z.DenotifiedAt)
	}
	if z.Open() {
		t.Errorf("a denotified zone is open")
	}
}
