package licensing

import (
	"github.com/zoneops/zoneops/libs/platform/audit"
)

// contactReaders are the roles that see an applicant's contact person (name, e-mail, phone):
// personal data goes only to those who deal with the applicant. The authority's operators
// decide the application, auditors check how it was decided, the tenant is the applicant, and
// a zone developer hosts and serves the companies of its zones. Viewers, who only watch, do
// not; nor does any role added later until it is named here.
var contactReaders = map[Role]bool{audit.RoleOperator: true, audit.RoleAuditor: true, audit.RoleTenant: true, audit.RoleZoneDeveloper: true}

// SeesContact reports whether p may read applicants' contact details.
func SeesContact(p Principal) bool { return contactReaders[p.Role] }

// ReadBy returns a as p may read it: a itself, or for a principal that may not see contact
// details a copy without them (the zero Contact, which the JSON form leaves out). Only the
// copy is changed, so a stored or event-bound application keeps its contact.
func (a *Application) ReadBy(p Principal) *Application {
	if a == nil || SeesContact(p) {
		return a
	}
	c := *a
	c.Applicant.Contact = Contact{}
	return &c
}
