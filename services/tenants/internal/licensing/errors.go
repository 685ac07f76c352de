package licensing

import (
	"errors"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Sentinel errors. Each wraps the fault kind that a transport maps to a status, so a caller can
// test for the specific rule (errors.Is(err, ErrShowCauseRequired)) or for the kind
// (errors.Is(err, fault.ErrRule)) without a second mapping table.
var (
	// ErrShowCauseRequired: a licence may be revoked only after the holder was told why and
	// given a chance to answer, which is what a recorded show-cause notice proves.
	ErrShowCauseRequired = fmt.Errorf("revocation requires a show-cause notice on record: %w", fault.ErrRule)
	// ErrShowCauseOpen: a show-cause notice is open (unanswered, reply date not passed), so
	// another may not be issued over it. It comes inside a *fault.StateError (409).
	ErrShowCauseOpen = errors.New("a show-cause notice is already open")
	// ErrShowCauseReplyPending: the licensee may still answer the notice, so the licence may
	// not be revoked yet. It comes inside a *fault.StateError (409) naming the reply date.
	ErrShowCauseReplyPending = errors.New("revocation must wait for the reply or the reply date")
	// ErrNoShowCause: there is no pending show-cause notice to reply to (409).
	ErrNoShowCause = errors.New("no show-cause notice is pending")
	// ErrShowCauseAnswered: the notice has been answered already; it takes one reply (409).
	ErrShowCauseAnswered = errors.New("the show-cause notice has been answered")
	// ErrNotYetExpired: a licence is expired only once its last valid day has passed.
	ErrNotYetExpired = fmt.Errorf("licence is still within its validity period: %w", fault.ErrRule)
	// ErrReplyPending: a deficient application cannot be rejected for want of a reply before
	// the applicant's reply is due, or when no reply date was set.
	ErrReplyPending = fmt.Errorf("the applicant's reply to the deficiency is not overdue: %w", fault.ErrRule)
	// ErrLicenceNumberMismatch: the licence number names another zone or year than the grant.
	ErrLicenceNumberMismatch = fmt.Errorf("licence number does not match the grant: %w", fault.ErrRule)
	// ErrNotYours: the record exists (or may) but the caller may not see it; reported as not
	// found so that callers cannot probe for other companies' applications.
	ErrNotYours = authz.ErrNotYours
	// ErrRoleNotAllowed: the caller's role does not permit the action at all.
	ErrRoleNotAllowed = authz.ErrRoleNotAllowed
)
