package deploycheck

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// dashboard is the part of Grafana's dashboard model these tests look at.
type dashboard struct {
	UID           string  `json:"uid"`
	Title         string  `json:"title"`
	ID            *int    `json:"id"`
	SchemaVersion int     `json:"schemaVersion"`
	Panels        []panel `json:"panels"`
	Templating    struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int            `json:"id"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource *datasourceRef `json:"datasource"`
	GridPos    struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Targets []struct {
		Datasource *datasourceRef `json:"datasource"`
		Expr       string         `json:"expr"`
		RefID      string         `json:"refId"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row keeps its panels here
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

func loadDashboard(t *testing.T, file string) dashboard {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", rel(t, file), err)
	}
	return d
}

// flatten lists every panel, rows' nested panels included.
func flatten(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

// dashboardVar finds $name and ${name} (and ${name:format}) references in a query.
var dashboardVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

func TestDashboards(t *testing.T) {
	uids := map[string]string{}
	for _, f := range dashboardFiles(t) {
		name := rel(t, f)
		d := loadDashboard(t, f)
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: empty uid or title", name)
		}
		if other, dup := uids[d.UID]; dup {
			t.Errorf("%s: uid %q is also %s's", name, d.UID, other)
		}
		uids[d.UID] = name
		// Provisioned dashboards carry no database id; Grafana assigns one.
		if d.ID != nil {
			t.Errorf("%s: id must be null, is %d", name, *d.ID)
		}
		if d.SchemaVersion < 36 {
			t.Errorf("%s: schemaVersion %d, want 36 or later (datasource references by uid)", name, d.SchemaVersion)
		}
		vars := map[string]bool{}
		for _, v := range d.Templating.List {
			vars[v.Name] = true
			if v.Name == "datasource" && (v.Type != "datasource" || v.Query != "prometheus") {
				t.Errorf("%s: variable datasource must be of type datasource with query prometheus", name)
			}
		}
		if !vars["datasource"] {
			t.Errorf("%s: no datasource variable", name)
		}
		ids := map[int]bool{}
		panels := flatten(d.Panels)
		if len(panels) == 0 {
			t.Errorf("%s: no panels", name)
		}
		for _, p := range panels {
			where := fmt.Sprintf("%s: panel %d %q", name, p.ID, p.Title)
			if p.ID == 0 || ids[p.ID] {
				t.Errorf("%s: id missing or used twice", where)
			}
			ids[p.ID] = true
			if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X < 0 || p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("%s: gridPos %+v does not fit the 24-column grid", where, p.GridPos)
			}
			if p.Type == "row" {
				continue
			}
			if p.Title == "" {
				t.Errorf("%s: no title", where)
			}
			if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
				t.Errorf("%s: datasource %+v, want uid ${datasource}", where, p.Datasource)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no targets", where)
			}
			refs := map[string]bool{}
			for _, tg := range p.Targets {
				if tg.Datasource == nil || tg.Datasource.UID != "${datasource}" {
					t.Errorf("%s: target %s: datasource %+v, want uid ${datasource}", where, tg.RefID, tg.Datasource)
				}
				if tg.RefID == "" || refs[tg.RefID] {
					t.Errorf("%s: target refId %q missing or used twice", where, tg.RefID)
				}
				refs[tg.RefID] = true
				if strings.TrimSpace(tg.Expr) == "" {
					t.Errorf("%s: target %s: empty expr", where, tg.RefID)
				}
				for _, m := range dashboardVar.FindAllStringSubmatch(tg.Expr, -1) {
					if v := m[1]; !strings.HasPrefix(v, "__") && !vars[v] {
						t.Errorf("%s: target %s uses $%s, which the dashboard does not define", where, tg.RefID, v)
					}
				}
			}
		}
	}
	for _, want := range []string{"zoneops-overview", "zoneops-tenants", "zoneops-allocation"} {
		if _, ok := uids[want]; !ok {
			t.Errorf("no dashboard with uid %s", want)
		}
	}
}

// TestGrafanaProvisioning checks that the provisioning files name a Prometheus data source
// and a file provider.
func TestGrafanaProvisioning(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, Type, URL string
		} `yaml:"datasources"`
	}
	decodeYAML(t, readFile(t, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"), &ds)
	if ds.APIVersion != 1 || len(ds.Datasources) == 0 || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].URL == "" {
		t.Errorf("datasources: want apiVersion 1 and a prometheus data source with a URL, got %+v", ds)
	}
	var dp struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name    string         `yaml:"name"`
			Type    string         `yaml:"type"`
			Options map[string]any `yaml:"options"`
		} `yaml:"providers"`
	}
	decodeYAML(t, readFile(t, "deploy", "grafana", "provisioning", "dashboards", "zoneops.yml"), &dp)
	if dp.APIVersion != 1 || len(dp.Providers) == 0 || dp.Providers[0].Type != "file" || dp.Providers[0].Options["path"] == nil {
		t.Errorf("dashboards: want apiVersion 1 and a file provider with a path, got %+v", dp)
	}
}
