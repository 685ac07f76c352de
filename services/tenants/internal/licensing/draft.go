package licensing

import (
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Draft is the content of an application that the applicant writes and may edit until it is
// submitted.
type Draft struct {
	Applicant   Applicant   `json:"applicant"`
	Kind        Kind        `json:"kind"`
	Zone        ZoneCode    `json:"zone"`
	Sector      Sector      `json:"sector"`
	Commitments Commitments `json:"commitments"`
}

// ApplicationInput is an application as a JSON request carries it: plain strings and numbers,
// not yet trusted.
type ApplicationInput struct {
	Applicant   ApplicantInput   `json:"applicant"`
	Kind        string           `json:"kind"`
	Zone        string           `json:"zone"`
	Sector      string           `json:"sector"`
	Commitments CommitmentsInput `json:"commitments"`
}

// ParseApplication turns a request into a Draft or a *fault.ValidationError that lists every
// bad field by its JSON path ("applicant.contact.email", "commitments.investment.currency"),
// so an applicant fixes the form in one round trip.
func ParseApplication(in ApplicationInput) (Draft, error) {
	var f fault.Fields
	applicant, err := ParseApplicant(in.Applicant)
	f.Merge("applicant", err)
	kind, err := ParseKind(in.Kind)
	f.Merge("kind", err)
	zone, err := ParseZoneCode(in.Zone)
	f.Merge("zone", err)
	sector, err := ParseSector(in.Sector)
	f.Merge("sector", err)
	commitments, err := ParseCommitments(in.Commitments)
	f.Merge("commitments", err)
	if err := f.Err(); err != nil {
		return Draft{}, err
	}
	return Draft{Applicant: applicant, Kind: kind, Zone: zone, Sector: sector, Commitments: commitments}, nil
}
