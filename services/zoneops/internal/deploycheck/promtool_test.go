package deploycheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// promtool returns the promtool to run: $ZONEOPS_PROMTOOL when set, which must then run
// (`make alerts-test` sets it, so there a missing promtool fails), else promtool on the PATH.
// Without either the test is skipped and says so: promtool is Debian's `prometheus` package,
// not a Go module, and `make alerts-test` is where it is required.
func promtool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ZONEOPS_PROMTOOL"); p != "" {
		bin, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("ZONEOPS_PROMTOOL=%s: %v", p, err)
		}
		return bin
	}
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (apt-get install prometheus); `make alerts-test` requires it")
	}
	return bin
}

// TestScrapesPassPromtoolCheckMetrics lints what the running tenants and allocation services
// expose with Prometheus's own linter, beside the client library's promlint that the services'
// tests run.
func TestScrapesPassPromtoolCheckMetrics(t *testing.T) {
	bin := promtool(t)
	_, scrapes := scrapeServices(t)
	for name, text := range scrapes {
		cmd := exec.Command(bin, "check", "metrics")
		cmd.Stdin = strings.NewReader(text)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics on the %s scrape: %v\n%s", name, err, out)
		}
	}
}

// TestAlertRulesPassPromtool runs `promtool check rules` and the unit tests of every alert in
// deploy/prometheus/alerts_test.yml and alerts_week_test.yml (each fires on the first event and
// stays quiet when healthy), as `make alerts-test` does.
func TestAlertRulesPassPromtool(t *testing.T) {
	bin := promtool(t)
	dir := filepath.Join(repoRoot(t), "deploy", "prometheus")
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml", "alerts_week_test.yml"}} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestEveryAlertHasAUnitTest: the unit test files name each alert of alerts.yml in an
// alert_rule_test that expects it to fire and in one that expects it quiet, so that no alert
// goes untried (promtool itself does not check that).
func TestEveryAlertHasAUnitTest(t *testing.T) {
	var files []unitTests
	for _, name := range []string{"alerts_test.yml", "alerts_week_test.yml"} {
		var f unitTests
		decodeStrict(t, readFile(t, "deploy", "prometheus", name), &f)
		files = append(files, f)
	}
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		for _, tc := range f.Tests {
			for _, a := range tc.AlertRuleTest {
				if len(a.ExpAlerts) > 0 {
					fires[a.Alertname] = true
				} else {
					quiet[a.Alertname] = true
				}
			}
		}
	}
	for _, g := range loadAlerts(t).Groups {
		for _, r := range g.Rules {
			if !fires[r.Alert] {
				t.Errorf("no unit test expects %s to fire", r.Alert)
			}
			if !quiet[r.Alert] {
				t.Errorf("no unit test expects %s to stay quiet", r.Alert)
			}
		}
	}
}

// unitTests is what this package reads of a promtool rule unit test file.
type unitTests struct {
	RuleFiles          []string `yaml:"rule_files"`
	EvaluationInterval string   `yaml:"evaluation_interval"`
	Tests              []struct {
		Name        string `yaml:"name"`
		Interval    string `yaml:"interval"`
		InputSeries []struct {
			Series string `yaml:"series"`
			Values string `yaml:"values"`
		} `yaml:"input_series"`
		AlertRuleTest []struct {
			EvalTime  string `yaml:"eval_time"`
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpLabels      map[string]string `yaml:"exp_labels"`
				ExpAnnotations map[string]string `yaml:"exp_annotations"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}
