package demo

import "github.com/google/uuid"

// zoneSpec is a zone of the demo: Pakistan's Special Technology Zones, the three notified ones
// and those planned in every province and territory.
type zoneSpec struct {
	Code, Name, Province string
	Notified             bool
	Boundary             ring // nil: not surveyed yet
}

// DemoZone is the zone the demo fills with plots, a building, tenants and leases. Its presence
// is what marks a data directory as seeded.
const DemoZone = "ISB"

func zoneCatalogue() []zoneSpec {
	return []zoneSpec{
		{Code: "ISB", Name: "Islamabad Special Technology Zone", Province: "islamabad_capital_territory", Notified: true, Boundary: isbBoundary},
		{Code: "LHR", Name: "Lahore Special Technology Zone", Province: "punjab", Notified: true,
			Boundary: rect(74_338_000, 31_468_000, 74_362_000, 31_486_000)},
		{Code: "HRP", Name: "Haripur Special Technology Zone", Province: "khyber_pakhtunkhwa", Notified: true,
			Boundary: rect(72_900_000, 33_980_000, 72_920_000, 34_000_000)},
		{Code: "KHI", Name: "Sindh STZ, Karachi (planned)", Province: "sindh"},
		{Code: "QTA", Name: "Balochistan STZ, Quetta (planned)", Province: "balochistan"},
		{Code: "FSD", Name: "Punjab STZ, Faisalabad (planned)", Province: "punjab"},
		{Code: "PSH", Name: "Khyber Pakhtunkhwa STZ, Peshawar (planned)", Province: "khyber_pakhtunkhwa"},
		{Code: "GLT", Name: "Gilgit-Baltistan STZ, Gilgit (planned)", Province: "gilgit_baltistan"},
		{Code: "MZD", Name: "Azad Jammu and Kashmir STZ, Muzaffarabad (planned)", Province: "azad_jammu_kashmir"},
	}
}

// developerNamespace derives the developer ids of the zones other than ISB. Only ISB's
// developer goes through the tenants service in the demo; the others are stable placeholder
// ids (UUIDv5 of the zone code), so a zone's developer_tenant_id is the same in every demo.
var developerNamespace = uuid.MustParse("6f1c0e52-5a8e-4d0b-9a47-3c2f0e1d9b10")

func placeholderDeveloper(code string) string {
	return uuid.NewSHA1(developerNamespace, []byte("developer:"+code)).String()
}

// company is an applicant of the demo: who it is, what it applies for and what it commits to.
// Amounts are whole rupees; the bodies carry them in paisa.
type company struct {
	LegalName, Registration, TaxNumber     string
	Contact, Email, Phone                  string
	Kind, Zone, Sector                     string
	Headcount                              int
	InvestmentPKR, ExportsPKR, RnDSpendPKR int64
}

// The application body, as the tenants service reads it (licensing.ApplicationInput).
type (
	money struct {
		AmountMinor int64  `json:"amount_minor"`
		Currency    string `json:"currency"`
	}
	contact struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	}
	applicant struct {
		LegalName          string  `json:"legal_name"`
		RegistrationNumber string  `json:"registration_number"`
		TaxNumber          string  `json:"tax_number"`
		Country            string  `json:"country"`
		Contact            contact `json:"contact"`
	}
	commitments struct {
		Headcount  int   `json:"headcount"`
		Investment money `json:"investment"`
		Exports    money `json:"exports"`
		RnDSpend   money `json:"rnd_spend"`
	}
	applicationBody struct {
		Applicant   applicant   `json:"applicant"`
		Kind        string      `json:"kind"`
		Zone        string      `json:"zone"`
		Sector      string      `json:"sector"`
		Commitments commitments `json:"commitments"`
	}
)

// pkr is an amount of whole rupees in paisa.
func pkr(rupees int64) money { return money{AmountMinor: rupees * 100, Currency: "PKR"} }

func (c company) application() applicationBody {
	return applicationBody{
		Applicant: applicant{
			LegalName: c.LegalName, RegistrationNumber: c.Registration, TaxNumber: c.TaxNumber, Country: "PK",
			Contact: contact{Name: c.Contact, Email: c.Email, Phone: c.Phone},
		},
		Kind: c.Kind, Zone: c.Zone, Sector: c.Sector,
		Commitments: commitments{
			Headcount: c.Headcount, Investment: pkr(c.InvestmentPKR), Exports: pkr(c.ExportsPKR), RnDSpend: pkr(c.RnDSpendPKR),
		},
	}
}

// developer builds and runs the Islamabad zone.
var developer = company{
	LegalName: "Rawal Technology Parks (Pvt) Ltd", Registration: "0187345", TaxNumber: "4420917-3",
	Contact: "Bilal Qureshi", Email: "bilal.qureshi@rawaltechparks.example", Phone: "+92 51 2608400",
	Kind: "zone_developer", Zone: "ISB", Sector: "it_ites",
	Headcount: 140, InvestmentPKR: 9_500_000_000, ExportsPKR: 250_000_000, RnDSpendPKR: 50_000_000,
}

// space is what an enterprise asks for and what the developer offers it on.
type space struct {
	Unit        string  // the label of the unit asked for by name; "" asks by requirements
	LandUse     string  // requirements: land use
	MinAreaM2   float64 // requirements: area range
	MaxAreaM2   float64
	OfferPlot   string // the plot the developer offers for requirements
	RentPerM2   int64  // whole rupees per m² per month
	TermMonths  int
	Milestone   bool // record construction_started on the land lease
	description string
}

// enterprise is a zone enterprise taken through licence, request, offer and lease.
type enterprise struct {
	company
	Space space
}

var enterprises = []enterprise{
	{
		company: company{
			LegalName: "Margalla AI Labs (Pvt) Ltd", Registration: "0201456", TaxNumber: "7781234-5",
			Contact: "Ayesha Siddiqui", Email: "ayesha.siddiqui@margalla-ai.example", Phone: "+92 300 5551234",
			Kind: "zone_enterprise", Zone: "ISB", Sector: "ai",
			Headcount: 85, InvestmentPKR: 450_000_000, ExportsPKR: 1_200_000_000, RnDSpendPKR: 180_000_000,
		},
		Space: space{Unit: "101", RentPerM2: 2_400, TermMonths: 60, description: "lab 101 of Islamabad Tech Tower 1"},
	},
	{
		company: company{
			LegalName: "Indus Robotics (Pvt) Ltd", Registration: "0198822", TaxNumber: "5532019-1",
			Contact: "Usman Tariq", Email: "usman.tariq@indusrobotics.example", Phone: "+92 321 5559876",
			Kind: "zone_enterprise", Zone: "ISB", Sector: "hardware",
			Headcount: 220, InvestmentPKR: 2_800_000_000, ExportsPKR: 1_900_000_000, RnDSpendPKR: 350_000_000,
		},
		Space: space{LandUse: "it_park", MinAreaM2: 15_000, MaxAreaM2: 25_000, OfferPlot: "IT-05", RentPerM2: 45, TermMonths: 360,
			Milestone: true, description: "an IT-park plot of 1.5 to 2.5 ha for its own works"},
	},
	{
		company: company{
			LegalName: "Potohar Fintech (Pvt) Ltd", Registration: "0210377", TaxNumber: "8845120-7",
			Contact: "Sana Mirza", Email: "sana.mirza@potoharfintech.example", Phone: "+92 333 5550147",
			Kind: "zone_enterprise", Zone: "ISB", Sector: "fintech",
			Headcount: 60, InvestmentPKR: 300_000_000, ExportsPKR: 400_000_000, RnDSpendPKR: 90_000_000,
		},
		Space: space{Unit: "301", RentPerM2: 2_150, TermMonths: 36, description: "office 301 of Islamabad Tech Tower 1"},
	},
}

// Applications left for the operator: one submitted, one sent back as deficient.
var (
	submittedApplicant = company{
		LegalName: "Hazara Agritech (Pvt) Ltd", Registration: "0223910", TaxNumber: "3390815-2",
		Contact: "Imran Khan Jadoon", Email: "imran.jadoon@hazara-agritech.example", Phone: "+92 995 615200",
		Kind: "zone_enterprise", Zone: "HRP", Sector: "agritech",
		Headcount: 35, InvestmentPKR: 120_000_000, ExportsPKR: 150_000_000, RnDSpendPKR: 25_000_000,
	}
	deficientApplicant = company{
		LegalName: "Ravi Semiconductor Works (Pvt) Ltd", Registration: "0219034", TaxNumber: "6612903-4",
		Contact: "Hina Butt", Email: "hina.butt@ravisemi.example", Phone: "+92 42 35761200",
		Kind: "zone_enterprise", Zone: "LHR", Sector: "semiconductors",
		Headcount: 180, InvestmentPKR: 3_600_000_000, ExportsPKR: 2_200_000_000, RnDSpendPKR: 600_000_000,
	}
	deficiencyReason = "The audited accounts for FY2023-24 and the SECP certificate of incorporation are missing; attach both and resubmit."
)

// The building the developer puts up on plot IT-01, and its units.
const (
	towerPlot      = "IT-01"
	towerName      = "Islamabad Tech Tower 1"
	towerFloors    = 8
	towerBasements = 1
)

type unitSpec struct {
	Label  string
	Floor  int
	AreaM2 string // decimal square metres, as sent
	Use    string
}

var towerUnits = []unitSpec{
	{Label: "G01", Floor: 0, AreaM2: "320", Use: "retail"},
	{Label: "101", Floor: 1, AreaM2: "860", Use: "lab"},
	{Label: "201", Floor: 2, AreaM2: "1150", Use: "office"},
	{Label: "301", Floor: 3, AreaM2: "1150", Use: "office"},
	{Label: "401", Floor: 4, AreaM2: "980", Use: "office"},
	{Label: "501", Floor: 5, AreaM2: "980", Use: "office"},
}
