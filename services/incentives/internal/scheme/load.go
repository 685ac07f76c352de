package scheme

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/money"
)

// The policy file is YAML (JSON, a subset of YAML, reads too):
//
//	schemes:
//	  - code: S21-CUSTOMS
//	    version: 1
//	    name: Customs duty on capital goods
//	    legal_basis: STZA Act 2021 s.21(1)(c)
//	    beneficiaries: [zone_enterprise]
//	    tiers: [startup, sme, large, anchor]
//	    tax_kind: customs_duty
//	    term: {years: 10, from: licence}
//	    cap: {kind: share_of_committed_investment, share: "1"}
//	    tax_year_cap: {kind: fixed_per_tier, per_tier: {sme: {amount_minor: 100, currency: PKR}, ...}}
//	    clawback: {kind: depreciated, years: 5}
//	    effective_from: 2021-03-01
//	    sunset: 2035-06-30
//
// Every entry is one version of one scheme. The file is checked against this shape before it is
// read, so that an unknown or misplaced field is named by its path (schemes[2].cap.shares)
// rather than by a line of YAML.

// shape is what one node of the policy file may be: a scalar, a list of elem, a mapping with
// the listed fields, or (fields nil, elem set) a mapping of any keys to elem.
type shape struct {
	kind   yaml.Kind
	fields map[string]*shape
	elem   *shape
	opaque bool // only the kind is checked, not what is inside
}

var (
	scalar     = &shape{kind: yaml.ScalarNode}
	scalarList = &shape{kind: yaml.SequenceNode, elem: scalar}
	moneyShape = &shape{kind: yaml.MappingNode, fields: map[string]*shape{"amount_minor": scalar, "currency": scalar}}
	capShape   = &shape{kind: yaml.MappingNode, fields: map[string]*shape{
		"kind": scalar, "share": scalar, "per_tier": {kind: yaml.MappingNode, elem: moneyShape},
	}}
	schemeShape = &shape{kind: yaml.MappingNode, fields: map[string]*shape{
		"code": scalar, "version": scalar, "name": scalar, "legal_basis": scalar,
		"beneficiaries": scalarList, "tiers": scalarList, "tax_kind": scalar,
		"term":           {kind: yaml.MappingNode, fields: map[string]*shape{"years": scalar, "from": scalar}},
		"cap":            capShape,
		"tax_year_cap":   capShape,
		"clawback":       {kind: yaml.MappingNode, fields: map[string]*shape{"kind": scalar, "years": scalar}},
		"effective_from": scalar, "sunset": scalar,
	}}
	policyShape = &shape{kind: yaml.MappingNode, fields: map[string]*shape{
		"schemes": {kind: yaml.SequenceNode, elem: schemeShape},
	}}
)

var kindNames = map[yaml.Kind]string{yaml.ScalarNode: "a single value", yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}

// shallow returns s with its fields' own shapes left unchecked (any kind): Load checks the
// top level first and each scheme on its own, so one bad scheme does not hide the others.
func (s *shape) shallow() *shape {
	out := &shape{kind: s.kind, fields: map[string]*shape{}}
	for k, f := range s.fields {
		out.fields[k] = &shape{kind: f.kind, opaque: true}
	}
	return out
}

// scalarAt returns the text of the scalar at key in mapping n, or "".
func scalarAt(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	if v := field(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// check reports every node that does not fit s, under path. It returns false when a value is
// of the wrong kind (a list where a mapping belongs), so that n cannot be decoded; an unknown
// field is reported but leaves the rest readable.
func check(n *yaml.Node, s *shape, path string, r *reporter) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != s.kind {
		r.add(path, "must be "+kindNames[s.kind])
		return false
	}
	if s.opaque {
		return true
	}
	ok := true
	switch s.kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ok = check(c, s.elem, fmt.Sprintf("%s[%d]", path, i), r) && ok
		}
	case yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			sub := join(path, key)
			if seen[key] {
				r.add(sub, "is given twice")
				continue
			}
			seen[key] = true
			if isNull(val) {
				continue // an empty value is an absent one
			}
			want := s.elem
			if s.fields != nil {
				want = s.fields[key]
			}
			if want == nil {
				r.add(sub, "unknown field")
				continue
			}
			ok = check(val, want, sub, r) && ok
		}
	}
	return ok
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// reporter collects field errors; label, when set, names the scheme version the errors are
// about ("scheme S21-CUSTOMS version 1: ").
type reporter struct {
	f     fault.Fields
	n     int // errors so far
	label string
}

func (r *reporter) add(field, reason string) {
	r.f.Add(field, r.label+reason)
	r.n++
}

// merge files err's reasons under field, as fault.Fields.Merge does, with the label.
func (r *reporter) merge(field string, err error) {
	if err == nil {
		return
	}
	var v *fault.ValidationError
	if errors.As(err, &v) {
		for _, fe := range v.Fields {
			r.add(join(field, fe.Field), fe.Reason)
		}
		return
	}
	r.add(field, err.Error())
}

// The file as read, every leaf still text, so that each bad value is reported with its path.
type (
	rawMoney struct {
		AmountMinor string `yaml:"amount_minor"`
		Currency    string `yaml:"currency"`
	}
	rawCap struct {
		Kind    string              `yaml:"kind"`
		Share   string              `yaml:"share"`
		PerTier map[string]rawMoney `yaml:"per_tier"`
	}
	rawVersion struct {
		Code          string   `yaml:"code"`
		Version       string   `yaml:"version"`
		Name          string   `yaml:"name"`
		LegalBasis    string   `yaml:"legal_basis"`
		Beneficiaries []string `yaml:"beneficiaries"`
		Tiers         []string `yaml:"tiers"`
		TaxKind       string   `yaml:"tax_kind"`
		Term          struct {
			Years string `yaml:"years"`
			From  string `yaml:"from"`
		} `yaml:"term"`
		Cap        *rawCap `yaml:"cap"`
		TaxYearCap *rawCap `yaml:"tax_year_cap"`
		Clawback   *struct {
			Kind  string `yaml:"kind"`
			Years string `yaml:"years"`
		} `yaml:"clawback"`
		EffectiveFrom string `yaml:"effective_from"`
		Sunset        string `yaml:"sunset"`
	}
)

var codeShape = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,31}$`)

// maxTermYears bounds terms and depreciation schedules: far beyond any law, it keeps date
// arithmetic in range.
const maxTermYears = 100

// Load parses and validates a policy file. It returns every error at once, as a
// *fault.ValidationError (it matches fault.ErrInvalid) whose fields are paths into the file
// (schemes[2].cap.share) and whose reasons name the scheme and version. It refuses unknown
// fields, unknown enum values, non-positive terms, shares outside (0, 1], amounts that are not
// positive or have a bad currency, a sunset before effective_from, two entries with one code
// and version, versions of one scheme whose periods overlap, and versions numbered out of
// their order in time.
func Load(data []byte) (Policy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Policy{}, fault.Invalid("policy", "not a YAML or JSON document: "+err.Error())
	}
	var r reporter
	if len(doc.Content) == 0 {
		r.add("schemes", "required")
		return Policy{}, r.f.Err()
	}
	root := doc.Content[0]
	if !check(root, policyShape.shallow(), "", &r) {
		return Policy{}, r.f.Err()
	}
	list := field(root, "schemes")
	if list == nil || len(list.Content) == 0 {
		r.add("schemes", "required: at least one scheme")
		return Policy{}, r.f.Err()
	}
	var versions []Version
	var paths []string // paths[i] is where versions[i] is in the file
	for i, n := range list.Content {
		path := fmt.Sprintf("schemes[%d]", i)
		r.label = fmt.Sprintf("scheme %s version %s: ", cmp.Or(scalarAt(n, "code"), "?"), cmp.Or(scalarAt(n, "version"), "?"))
		if !check(n, schemeShape, path, &r) {
			continue // a value of the wrong kind: its errors are reported, the rest cannot be read
		}
		var raw rawVersion
		if err := n.Decode(&raw); err != nil {
			r.add(path, "unreadable: "+err.Error())
			continue
		}
		v, ok, keyed := parseVersion(raw, path, &r)
		if ok || keyed {
			versions = append(versions, v)
			paths = append(paths, path)
		}
	}
	r.label = ""
	// Entries with other errors still take part when their code, version and period are
	// readable, so that a duplicate or an overlap is reported in the same pass.
	crossCheck(versions, paths, &r)
	if err := r.f.Err(); err != nil {
		return Policy{}, err
	}
	slices.SortFunc(versions, func(a, b Version) int {
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Version, b.Version))
	})
	return Policy{versions: versions}, nil
}

// field returns the value of key in mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && !isNull(n.Content[i+1]) {
			return n.Content[i+1]
		}
	}
	return nil
}

// parseVersion reads one entry, reporting every bad field; ok is false when any was bad, keyed
// is true when its code, version and period were read all the same.
func parseVersion(raw rawVersion, path string, r *reporter) (v Version, ok, keyed bool) {
	before := r.n
	at := func(f string) string { return path + "." + f }
	switch {
	case raw.Code == "":
		r.add(at("code"), "required")
	case !codeShape.MatchString(raw.Code):
		r.add(at("code"), "must be 2 to 32 upper-case letters, digits and dashes, starting with a letter")
	}
	v.Code = raw.Code
	v.Version = positiveInt(raw.Version, at("version"), 1<<20, r)
	keyed = r.n == before
	v.Name = text(raw.Name, at("name"), r)
	v.LegalBasis = text(raw.LegalBasis, at("legal_basis"), r)
	v.Beneficiaries = list(raw.Beneficiaries, at("beneficiaries"), beneficiaries.Parse, r)
	v.Tiers = list(raw.Tiers, at("tiers"), tiers.Parse, r)
	var err error
	v.TaxKind, err = taxKinds.Parse(raw.TaxKind)
	r.merge(at("tax_kind"), err)
	v.Term.Years = positiveInt(raw.Term.Years, at("term.years"), maxTermYears, r)
	v.Term.From, err = termStarts.Parse(raw.Term.From)
	r.merge(at("term.from"), err)
	if raw.Cap == nil {
		r.add(at("cap"), "required (kind none tracks claims without a cap)")
	} else {
		v.Cap = parseCap(*raw.Cap, at("cap"), v.Tiers, r)
	}
	if raw.TaxYearCap != nil {
		c := parseCap(*raw.TaxYearCap, at("tax_year_cap"), v.Tiers, r)
		if c.Kind == CapNone {
			r.add(at("tax_year_cap.kind"), "must not be none: leave tax_year_cap out for no cap per tax year")
		}
		v.TaxYearCap = &c
	}
	if raw.Clawback == nil {
		r.add(at("clawback"), "required (kind none recovers nothing)")
	} else {
		v.Clawback.Kind, err = clawbackKinds.Parse(raw.Clawback.Kind)
		r.merge(at("clawback.kind"), err)
		switch {
		case v.Clawback.Kind == ClawbackDepreciated:
			v.Clawback.Years = positiveInt(raw.Clawback.Years, at("clawback.years"), maxTermYears, r)
		case raw.Clawback.Years != "":
			r.add(at("clawback.years"), "only for kind depreciated")
		}
	}
	v.EffectiveFrom, err = civil.ParseDate(raw.EffectiveFrom)
	r.merge(at("effective_from"), err)
	keyed = keyed && err == nil
	if raw.Sunset != "" {
		v.Sunset, err = civil.ParseDate(raw.Sunset)
		r.merge(at("sunset"), err)
		keyed = keyed && err == nil
		if err == nil && !v.EffectiveFrom.IsZero() && v.Sunset.Before(v.EffectiveFrom) {
			r.add(at("sunset"), "must not be before effective_from "+v.EffectiveFrom.String())
			keyed = false
		}
	}
	return v, r.n == before, keyed
}

func text(s, path string, r *reporter) string {
	s = strings.TrimSpace(s)
	if s == "" {
		r.add(path, "required")
	}
	return s
}

// positiveInt reads a whole number in 1..limit.
func positiveInt(s, path string, limit int, r *reporter) int {
	if s == "" {
		r.add(path, "required")
		return 0
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		r.add(path, "must be a whole number")
	case n < 1 || n > limit:
		r.addf(path, "must be between 1 and %d", limit)
	}
	return n
}

func (r *reporter) addf(field, format string, args ...any) {
	r.add(field, fmt.Sprintf(format, args...))
}

// list parses a non-empty list of enum values with no repeats.
func list[T ~string](items []string, path string, parse func(string) (T, error), r *reporter) []T {
	if len(items) == 0 {
		r.add(path, "required: at least one")
	}
	var out []T
	for i, s := range items {
		v, err := parse(s)
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case err != nil:
			r.merge(p, err)
		case slices.Contains(out, v):
			r.add(p, "is listed twice")
		default:
			out = append(out, v)
		}
	}
	return out
}

// parseCap reads a cap rule; a fixed-per-tier cap must give an amount for every tier of the
// scheme and none for others.
func parseCap(raw rawCap, path string, schemeTiers []tenants.SizeTier, r *reporter) CapRule {
	at := func(f string) string { return path + "." + f }
	kind, err := capKinds.Parse(raw.Kind)
	r.merge(at("kind"), err)
	c := CapRule{Kind: kind}
	if raw.Share != "" && kind != CapShareOfInvestment {
		r.add(at("share"), "only for kind "+string(CapShareOfInvestment))
	}
	if raw.PerTier != nil && kind != CapFixedPerTier {
		r.add(at("per_tier"), "only for kind "+string(CapFixedPerTier))
	}
	switch kind {
	case CapShareOfInvestment:
		c.Share, err = ParseShare(raw.Share)
		r.merge(at("share"), err)
	case CapFixedPerTier:
		c.PerTier = map[tenants.SizeTier]money.Money{}
		keys := make([]string, 0, len(raw.PerTier))
		for k := range raw.PerTier {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := at("per_tier." + k)
			t, err := tiers.Parse(k)
			if err != nil {
				r.merge(p, err)
				continue
			}
			if !slices.Contains(schemeTiers, t) {
				r.add(p, "is not one of the scheme's tiers")
				continue
			}
			if m, ok := parseAmount(raw.PerTier[k], p, r); ok {
				c.PerTier[t] = m
			}
		}
		for _, t := range schemeTiers {
			if _, ok := raw.PerTier[string(t)]; !ok {
				r.add(at("per_tier."+string(t)), "required: every tier of the scheme needs a cap")
			}
		}
	}
	return c
}

// parseAmount reads a positive amount of a supported currency.
func parseAmount(raw rawMoney, path string, r *reporter) (money.Money, bool) {
	ok := true
	n, err := strconv.ParseInt(raw.AmountMinor, 10, 64)
	switch {
	case raw.AmountMinor == "":
		r.add(path+".amount_minor", "required")
		ok = false
	case err != nil:
		r.add(path+".amount_minor", "must be a whole number of minor units that fits 64 bits")
		ok = false
	case n <= 0:
		r.add(path+".amount_minor", "must be positive")
		ok = false
	}
	cur, err := money.ParseCurrency(raw.Currency)
	if err != nil {
		r.merge(path+".currency", err)
		ok = false
	}
	return money.Money{AmountMinor: n, Currency: cur}, ok
}

// crossCheck refuses two entries with one code and version, versions of a code whose periods
// overlap, and a higher version that takes effect before a lower one.
func crossCheck(vs []Version, paths []string, r *reporter) {
	for i, a := range vs {
		for j := range i {
			b := vs[j]
			if a.Code != b.Code {
				continue
			}
			r.label = fmt.Sprintf("scheme %s version %d: ", a.Code, a.Version)
			switch {
			case a.Version == b.Version:
				r.add(paths[i]+".version", "duplicate of "+paths[j])
			case overlap(a, b):
				r.addf(paths[i]+".effective_from", "overlaps version %d (%s): a version must take effect after the sunset of the one before", b.Version, paths[j])
			case (a.Version > b.Version) != a.EffectiveFrom.After(b.EffectiveFrom):
				r.addf(paths[i]+".version", "is numbered out of order in time with version %d (%s)", b.Version, paths[j])
			}
		}
	}
	r.label = ""
}

// overlap reports whether the periods [effective_from, sunset] of a and b share a day; no
// sunset is an open end.
func overlap(a, b Version) bool {
	endsBefore := func(x, y Version) bool { return !x.Sunset.IsZero() && x.Sunset.Before(y.EffectiveFrom) }
	return !endsBefore(a, b) && !endsBefore(b, a)
}
