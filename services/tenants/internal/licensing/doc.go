// Package licensing holds the domain rules of a Special Technology Zones authority's licensing
// desk: who may apply, what an application must say, how it moves from draft to a decision, the
// statutory decision deadline (paused while the applicant owes a reply), and the life of the
// licence that an approval grants.
//
// The package is pure: it performs no I/O and never reads the clock. Every rule that depends on
// time takes the instant as an argument and a Policy that says in which time zone legal dates
// are counted, so the service decides where "now" comes from and tests need no sleeping.
//
// Errors follow libs/platform/fault: bad input is a *fault.ValidationError listing every bad
// field, an illegal transition is a *fault.StateError naming the current state, and broken
// business rules, scope and role failures wrap fault.ErrRule, fault.ErrNotFound and
// fault.ErrForbidden (see errors.go).
//
// Choices the rules make where the statute is silent:
//   - The decision clock counts calendar days in zone time; a deficiency pauses it from the
//     day it is noted to the day of resubmission, and that many whole days are added to the
//     due date. A reply on the same day costs the authority nothing.
//   - A deficient application may be rejected only after its reply date has passed, so an
//     applicant is never refused while still in time to answer.
//   - Approval exists only as Grant: an approved application always has its licence.
//   - A licence number must name the application's zone and the grant year in zone time.
//   - Revocation needs a recorded show-cause notice, and waits until the licensee has replied
//     or the notice's reply date has passed in zone time; reinstatement discharges that
//     notice, so a later revocation needs a new one.
//   - One show-cause notice is open at a time (unanswered and within its reply date); once it
//     is answered or lapses, a new notice may replace it, and revocation then waits on the new
//     one. A late reply is still recorded; a notice takes one reply.
//   - A tenant asking about another company's record is told it does not exist (not found),
//     not that it is forbidden; zone developers read the records of their own zones.
//   - The default zone time is a fixed UTC+05:00 (Asia/Karachi has had no daylight saving
//     since 2009), so the package needs no tz database.
package licensing
