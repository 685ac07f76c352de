// Package leasing holds the domain rules of a zone developer's allocation desk: how a licensed
// tenant asks for land or built space, how the developer offers a space on terms, how an
// accepted offer becomes a lease, how leases end (at term, on notice, or because the tenant's
// licence went), the construction deadlines of land leases, the rules that keep one space from
// being let twice, the occupancy figures of a zone, and who may do what.
//
// The package is pure: it performs no I/O and never reads the clock. Every rule that depends on
// time takes the instant as an argument and a Policy that says in which time zone legal dates
// are counted, so the service decides where "now" comes from and tests need no sleeping. Ids
// come from the caller (UUIDv7 in the service), so the package needs no randomness either.
//
// Errors follow libs/platform/fault: bad input is a *fault.ValidationError listing every bad
// field, an illegal transition is a *fault.StateError naming the current state, and broken
// business rules, conflicts with other leases, scope and role failures wrap fault.ErrRule,
// fault.ErrConflict, fault.ErrNotFound and fault.ErrForbidden (see errors.go).
//
// Choices the rules make where the issue is silent:
//   - A lease runs from its start date for TermMonths calendar months: its last day is
//     Start + TermMonths - 1 day, month arithmetic clamping to the month's last day (a lease
//     from 31 January for one month ends on 27 February in a common year, because
//     31 January + 1 month is 28 February).
//   - A lease is active from acceptance, even when its start date is still ahead: the space is
//     committed from then on.
//   - Notice given on a date ends the lease on that date + NoticeMonths (its last day), never
//     after the lease's own end and never before its start (a lease cancelled before it began
//     ends on its start date, so its period is never empty). Notice needs a reason, which says
//     whether the tenant or the developer gave it; only developers and operators record it.
//     Notice dated after the end date is refused: that lease simply ends.
//   - An offer must be valid until a date no earlier than the day it is made and no later than
//     the lease's start date: a lease never starts before the tenant could have accepted it.
//     Acceptance is allowed up to and including offer_valid_until in zone time.
//   - Construction deadlines are the last day of the configured period, but never after the
//     lease's end: a land lease starting 1 March 2026 must see construction start by
//     28 February 2027 (12 months) and complete by 28 February 2029 (36 months). A deadline is
//     missed the day after it.
//   - Each missed milestone marks the lease idle and is reported once; recording the missed
//     milestone later clears the idle mark (the plot is in use again), and a later missed
//     milestone marks it again and is reported in its turn.
//   - A plot leased as land blocks leases of its units to anyone, the land lessee included
//     (its land lease already covers the building), and a plot with any unit lease blocks a
//     land lease of the plot; both only where the periods overlap. Ended leases hold nothing.
//   - Two offers for one space may be outstanding at once; the first acceptance wins and the
//     second fails the overlap check that the store runs with the acceptance.
//   - Only revocation and surrender of a licence terminate leases (as the issue says); an
//     expired or suspended licence stops new requests, offers and acceptances only.
//   - Rent must be more than zero; the deposit may be zero but is in the rent's currency; the
//     notice period may not exceed the term.
//   - Requirements give a land use and a minimum area; the maximum is optional. A plot or a
//     unit may answer them: land uses classify both.
//   - Values follow the allocation events' contract (libs/events/allocation) so that every
//     transition yields a payload that validates: the same land uses, causes and milestone
//     names, areas with at most two decimals.
//   - The default zone time is a fixed UTC+05:00 (Asia/Karachi has had no daylight saving
//     since 2009), so the package needs no tz database.
package leasing
