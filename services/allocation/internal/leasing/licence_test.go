package leasing

import (
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/events/tenants"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestOnlyAnActiveLicenceMayRequestOrBeOffered(t *testing.T) {
	for _, s := range LicenceStatuses() {
		l := licence(s)
		want := s == LicenceActive
		if l.CanRequest() != want || l.CanBeOffered() != want {
			t.Errorf("%s: can request %v, can be offered %v", s, l.CanRequest(), l.CanBeOffered())
		}
		if terminates := s == LicenceRevoked || s == LicenceSurrendered; s.TerminatesLeases() != terminates {
			t.Errorf("%s terminates leases: %v", s, s.TerminatesLeases())
		}
	}
}

// The projection takes every status the tenants contract names, and no other.
func TestTheProjectionKnowsEveryStatusOfTheTenantsContract(t *testing.T) {
	for _, s := range tenants.LicenceStatuses() {
		if _, err := ParseLicenceStatus(string(s)); err != nil {
			t.Errorf("the contract's %q: %v", s, err)
		}
	}
	if n, want := len(LicenceStatuses()), len(tenants.LicenceStatuses()); n != want {
		t.Errorf("%d statuses, the contract has %d", n, want)
	}
}

func TestLicenceProjectionOnlyMovesForwardByVersion(t *testing.T) {
	type event struct {
		version int64
		status  LicenceStatus
		applied bool
	}
	tests := []struct {
		name   string
		events []event
		want   LicenceStatus
		ver    int64
	}{
		{"in order", []event{{1, LicenceActive, true}, {2, LicenceSuspended, true}, {3, LicenceActive, true}}, LicenceActive, 3},
		{"a stale suspension after the reinstatement is ignored",
			[]event{{1, LicenceActive, true}, {3, LicenceActive, true}, {2, LicenceSuspended, false}}, LicenceActive, 3},
		{"a late grant cannot undo a revocation",
			[]event{{5, LicenceRevoked, true}, {1, LicenceActive, false}}, LicenceRevoked, 5},
		{"a redelivered event is ignored",
			[]event{{1, LicenceActive, true}, {2, LicenceSuspended, true}, {2, LicenceSuspended, false}}, LicenceSuspended, 2},
		{"the same version with another status is ignored",
			[]event{{2, LicenceSuspended, true}, {2, LicenceActive, false}}, LicenceSuspended, 2},
		{"versions may skip", []event{{1, LicenceActive, true}, {7, LicenceSurrendered, true}}, LicenceSurrendered, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Licence{ID: "lic-1", TenantID: "tenant-1"}
			for _, e := range tt.events {
				applied, err := l.Apply(e.version, e.status)
				must(t, err)
				if applied != e.applied {
					t.Fatalf("event v%d %s applied %v, want %v", e.version, e.status, applied, e.applied)
				}
			}
			if l.Status != tt.want || l.Version != tt.ver {
				t.Fatalf("projection %s v%d, want %s v%d", l.Status, l.Version, tt.want, tt.ver)
			}
		})
	}
}

func TestLicenceProjectionRefusesMalformedEvents(t *testing.T) {
	l := activeLicence
	for _, tt := range []struct {
		version int64
		status  LicenceStatus
	}{{0, LicenceActive}, {-1, LicenceRevoked}, {9, "lapsed"}, {9, ""}} {
		applied, err := l.Apply(tt.version, tt.status)
		if applied || !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("v%d %q: applied %v err %v", tt.version, tt.status, applied, err)
		}
	}
	if l != activeLicence {
		t.Fatalf("a refused event changed the projection: %+v", l)
	}
}
