// Package incentives is the incentives service: the double-entry ledger of the exemptions the
// STZA Act grants licensed companies (schemes, entitlements, claims, caps, suspensions and
// clawbacks). It is being built (issue 8) on the shape services/README.md describes; today the
// module holds its domain packages under internal/.
package incentives
