package deploycheck

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/services/tenants"
)

// defaults returns the tenants process configuration with nothing set: its tag defaults.
func defaults(t *testing.T) tenants.ProcessConfig {
	t.Helper()
	var pc tenants.ProcessConfig
	if err := config.Load(tenants.EnvPrefix, &pc, func(string) (string, bool) { return "", false }, nil); err != nil {
		t.Fatal(err)
	}
	return pc
}

// TestPrometheusConfig checks that prometheus.yml loads the alert rules and scrapes the
// address where `make run` serves tenants.
func TestPrometheusConfig(t *testing.T) {
	var cfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			MetricsPath   string `yaml:"metrics_path"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	decodeYAML(t, readFile(t, "deploy", "prometheus", "prometheus.yml"), &cfg)

	// Prometheus resolves rule_files against the configuration file's directory.
	dir := path(t, "deploy", "prometheus")
	var loaded []string
	for _, pattern := range cfg.RuleFiles {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil || len(matches) == 0 {
			t.Errorf("rule_files entry %q matches no file (%v)", pattern, err)
		}
		loaded = append(loaded, matches...)
	}
	if !slices.Contains(loaded, filepath.Join(dir, "alerts.yml")) {
		t.Errorf("rule_files %v do not load alerts.yml", cfg.RuleFiles)
	}

	want := defaults(t).HTTPAddr
	found := false
	for _, sc := range cfg.ScrapeConfigs {
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			continue
		}
		for _, st := range sc.StaticConfigs {
			if slices.Contains(st.Targets, want) {
				found = true
				// The availability alerts select zoneops targets by job name.
				if !strings.Contains(sc.JobName, "zoneops") {
					t.Errorf("job %q scrapes tenants but its name lacks \"zoneops\", which the alerts select on", sc.JobName)
				}
			}
		}
	}
	if !found {
		t.Errorf("no scrape job targets %s, the tenants default address (ZONEOPS_TENANTS_HTTP_ADDR)", want)
	}
}
