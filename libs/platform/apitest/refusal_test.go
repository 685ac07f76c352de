package apitest_test

import (
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// TestProblemTypesIsThePrefixOfEveryProblemTypeTheTransportsWrite keeps the refusal tables'
// short type names ("validation") pointing at the URIs httpx writes.
func TestProblemTypesIsThePrefixOfEveryProblemTypeTheTransportsWrite(t *testing.T) {
	types := []string{httpx.TypeValidation, httpx.TypeNotFound, httpx.TypeConflict, httpx.TypeInvalidTransition, httpx.TypeUnauthenticated,
		httpx.TypeForbidden, httpx.TypeTooLarge, httpx.TypeBusinessRule, httpx.TypeUnavailable, httpx.TypeInternal}
	for _, typ := range types {
		if !strings.HasPrefix(typ, apitest.ProblemTypes) {
			t.Errorf("%s does not start with apitest.ProblemTypes %s", typ, apitest.ProblemTypes)
		}
	}
}
