// Package zoning holds the domain rules of a zone's land: zones and their legal status, the
// plots of a zone's plan and how they are drawn, cut, joined and withdrawn, plot plan imports,
// and the buildings and leasable units on plots.
//
// The package is pure: no I/O, no clock, no randomness. Times, ids (or an id generator for
// imports), the zone's live plots (a geo.Index and the codes in use) and whether a plot is
// leased are passed in by the service, which reads them inside the same transaction that
// stores the result.
//
// Errors follow libs/platform/fault: malformed input is a *fault.ValidationError listing every
// bad field (an area that disagrees with its boundary is malformed input); an illegal
// transition is a *fault.StateError naming the current state; a clash with existing data (an
// overlap, a plot code already used) is a fault.ErrConflict naming the other plot; a
// well-formed request the rules refuse (outside the zone, withdrawing leased land, merging
// plots that do not touch) is a fault.ErrRule. See errors.go.
//
// Choices the rules make where the issue is silent:
//   - Access: a zone developer manages the zones whose ids its token carries; see Authorize.
//   - A planned zone's developer may lay out plots before notification; a denotified zone's
//     plan is frozen.
//   - Plot codes are unique in a zone across all statuses (a withdrawn plot's code is not
//     reused), so the parts of a subdivision and the plot of a merger take new codes.
//   - Overlap, containment and exact cover allow geo.OverlapEpsilonM2 (1 m²) of slack, so
//     neighbours digitised separately are not refused for rounding slivers.
//   - A subdivision's parts are drawn exactly when the parent is: a drawn parent needs drawn
//     parts that tile it, an undrawn parent needs undrawn parts. Parts' declared areas must add
//     up to the parent's within the policy's tolerance either way. Leased plots cannot be
//     subdivided (the lease names the land), merged or withdrawn.
//   - A merger's area is the sum of the declared areas; its boundary, when the plots are drawn,
//     is their union, which must be one piece (shared edges, not only a corner).
//   - A building has 1 to 200 floors above ground (0 is the ground floor) and up to 5
//     basements (-1 to -5); a unit's floor must be one of them.
//   - Time zones: empty means Asia/Karachi; names are checked for shape here and for existence
//     by Policy.LoadLocation when the service sets it.
package zoning
