package deploycheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository root: go test runs in this package's directory,
// services/zoneops/internal/deploycheck.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Fatalf("repository root %s has no go.work: %v", root, err)
	}
	return root
}

// path joins elements onto the repository root.
func path(t *testing.T, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{repoRoot(t)}, elem...)...)
}

func readFile(t *testing.T, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rel names a file relative to the repository root in messages.
func rel(t *testing.T, p string) string {
	r, err := filepath.Rel(repoRoot(t), p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// filesUnder lists the files under dir (relative to the root) whose names end in one of exts.
func filesUnder(t *testing.T, dir string, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(path(t, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(d.Name(), e) {
				out = append(out, p)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// yamlDocs parses every document of a YAML stream. yaml.v3 also rejects duplicate mapping keys,
// which Prometheus and Kubernetes would reject or silently resolve.
func yamlDocs(b []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, v)
	}
}

// decodeStrict decodes one YAML document into v, rejecting fields v does not have, so that a
// misspelt key ("anotations") fails here rather than being ignored by its consumer.
func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatal(err)
	}
}

// decodeYAML decodes one YAML document into v, ignoring fields v does not have.
func decodeYAML(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// yamlFiles are the YAML files that must parse: everything under deploy/, and the chart's
// own YAML that is not a template.
func yamlFiles(t *testing.T) []string {
	files := filesUnder(t, "deploy", ".yml", ".yaml")
	files = append(files,
		path(t, "helm", "zoneops", "Chart.yaml"),
		path(t, "helm", "zoneops", "values.yaml"))
	files = append(files, filesUnder(t, filepath.Join("helm", "zoneops", "ci"), ".yaml")...)
	return files
}

func dashboardFiles(t *testing.T) []string {
	return filesUnder(t, filepath.Join("deploy", "grafana", "dashboards"), ".json")
}

func TestYAMLFilesParse(t *testing.T) {
	files := yamlFiles(t)
	// The files this package's other tests read; a missing one must fail, not be skipped.
	for _, want := range []string{
		"deploy/prometheus/prometheus.yml",
		"deploy/prometheus/alerts.yml",
		"deploy/grafana/provisioning/datasources/prometheus.yml",
		"deploy/grafana/provisioning/dashboards/zoneops.yml",
	} {
		if _, err := os.Stat(path(t, want)); err != nil {
			t.Errorf("%s: %v", want, err)
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := yamlDocs(b)
		if err != nil {
			t.Errorf("%s: %v", rel(t, f), err)
			continue
		}
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", rel(t, f))
		}
	}
}

func TestDashboardsParse(t *testing.T) {
	files := dashboardFiles(t)
	if len(files) < 3 {
		t.Fatalf("want the overview, tenants and allocation dashboards, found %d files", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v", rel(t, f), err)
		}
	}
}
