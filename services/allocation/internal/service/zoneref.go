package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Clients name zones by code ("ISB") as often as by id: paths, list filters and request
// bodies take either, and the use cases resolve the name to the id records carry before they
// authorise anything (a zone developer's scope holds ids).

// zoneID resolves a zone named in a path; an unknown zone is fault.ErrNotFound (404).
func (s *service) zoneID(ctx context.Context, ref string) (string, error) {
	id, ok, err := s.st.ZoneIDOf(ctx, ref)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("zone %q: %w", ref, fault.ErrNotFound)
	}
	return id, nil
}

// zoneFilter resolves the zone a list is filtered by ("" for none). A zone that does not
// exist is bad input under field, never an empty list that looks like a true answer.
func (s *service) zoneFilter(ctx context.Context, field, ref string) (string, error) {
	if strings.TrimSpace(ref) == "" {
		return "", nil
	}
	id, ok, err := s.st.ZoneIDOf(ctx, ref)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fault.Invalid(field, fmt.Sprintf("no zone has the code or id %q", ref))
	}
	return id, nil
}

// fieldOr is field, or def when field is "".
func fieldOr(field, def string) string {
	if field == "" {
		return def
	}
	return field
}
