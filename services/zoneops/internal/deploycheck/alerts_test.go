package deploycheck

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
)

// ruleFile is the Prometheus rule file format (the fields zoneops uses, and the rest of the
// documented ones so that decoding strictly rejects only real mistakes).
type ruleFile struct {
	Groups []struct {
		Name     string            `yaml:"name"`
		Interval string            `yaml:"interval"`
		Limit    int               `yaml:"limit"`
		Labels   map[string]string `yaml:"labels"`
		Rules    []rule            `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert         string            `yaml:"alert"`
	Record        string            `yaml:"record"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

func loadAlerts(t *testing.T) ruleFile {
	t.Helper()
	var rf ruleFile
	decodeStrict(t, readFile(t, "deploy", "prometheus", "alerts.yml"), &rf)
	if len(rf.Groups) == 0 {
		t.Fatal("alerts.yml has no rule groups")
	}
	return rf
}

// severities are the values Alertmanager routes on (alerts.yml's header explains them).
var severities = []string{"critical", "warning", "info"}

// promDuration is Prometheus' duration syntax (model.ParseDuration).
var promDuration = regexp.MustCompile(`^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$`)

// templateFuncs stand in for the functions Prometheus offers alert templates, so that the
// annotations parse as Prometheus parses them; they are never called.
var templateFuncs = func() template.FuncMap {
	m := template.FuncMap{}
	for _, name := range []string{
		"query", "first", "label", "value", "strvalue", "args", "sortByLabel", "safeHtml",
		"match", "reReplaceAll", "title", "toUpper", "toLower", "graphLink", "tableLink",
		"stripPort", "stripDomain", "humanize", "humanize1024", "humanizeDuration",
		"humanizePercentage", "humanizeTimestamp", "toTime", "toDuration", "parseDuration",
		"pathPrefix", "externalURL", "now",
	} {
		m[name] = func(...any) any { return nil }
	}
	return m
}()

// templateDefs are the variables Prometheus defines before expanding an alert's templates.
const templateDefs = `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}`

func TestAlertRules(t *testing.T) {
	rf := loadAlerts(t)
	groups := map[string]bool{}
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		if g.Name == "" || groups[g.Name] {
			t.Errorf("group name %q is empty or used twice", g.Name)
		}
		groups[g.Name] = true
		if len(g.Rules) == 0 {
			t.Errorf("group %s has no rules", g.Name)
		}
		for i, r := range g.Rules {
			name := r.Alert
			if name == "" {
				name = r.Record
			}
			where := g.Name + "/" + name
			if (r.Alert == "") == (r.Record == "") {
				t.Errorf("%s (rule %d): want exactly one of alert and record", g.Name, i)
				continue
			}
			if strings.TrimSpace(r.Expr) == "" {
				t.Errorf("%s: empty expr", where)
			}
			if r.Record != "" {
				continue
			}
			if alerts[r.Alert] {
				t.Errorf("%s: alert name used twice", where)
			}
			alerts[r.Alert] = true
			// An explicit for (even 0m) shows the choice was made.
			if r.For == "" || !promDuration.MatchString(r.For) {
				t.Errorf("%s: for %q: want a Prometheus duration such as 5m", where, r.For)
			}
			if s := r.Labels["severity"]; !slices.Contains(severities, s) {
				t.Errorf("%s: severity label %q, want one of %v", where, s, severities)
			}
			for _, a := range []string{"summary", "description"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					t.Errorf("%s: no %s annotation", where, a)
				}
			}
			for k, v := range r.Annotations {
				if _, err := template.New(k).Funcs(templateFuncs).Parse(templateDefs + v); err != nil {
					t.Errorf("%s: annotation %s: %v", where, k, err)
				}
			}
			for k, v := range r.Labels {
				if _, err := template.New(k).Funcs(templateFuncs).Parse(templateDefs + v); err != nil {
					t.Errorf("%s: label %s: %v", where, k, err)
				}
			}
		}
	}
	// The alerts an operator of a zone authority cannot do without (see deploy/README.md).
	for _, want := range []string{
		"ZoneopsTargetDown", "ZoneopsHTTPErrorRatioHigh", "ZoneopsHTTPLatencyHigh",
		"ZoneopsOutboxEventsStuck", "ZoneopsOutboxBacklogGrowing", "ZoneopsDeadLetters",
		"ZoneopsConsumerLagHigh", "ZoneopsTenantsDecisionsOverdue",
		"ZoneopsAllocationIdleSpaces", "ZoneopsAllocationRequestsWaitingLong",
	} {
		if !alerts[want] {
			t.Errorf("alert %s is missing", want)
		}
	}
}
