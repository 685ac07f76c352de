package deploycheck

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
)

// noEnv is an environment with nothing set.
func noEnv(string) (string, bool) { return "", false }

// defaults returns the tenants process configuration with nothing set: its tag defaults.
func defaults(t *testing.T) tenants.ProcessConfig {
	t.Helper()
	var pc tenants.ProcessConfig
	if err := config.Load(tenants.EnvPrefix, &pc, noEnv, nil); err != nil {
		t.Fatal(err)
	}
	return pc
}

// allocationDefaults returns the allocation process configuration with nothing set.
func allocationDefaults(t *testing.T) allocation.ProcessConfig {
	t.Helper()
	var pc allocation.ProcessConfig
	if err := config.Load(allocation.EnvPrefix, &pc, noEnv, nil); err != nil {
		t.Fatal(err)
	}
	return pc
}

// TestPrometheusConfig checks that prometheus.yml loads the alert rules and scrapes the
// addresses where `make run` serves tenants and allocation.
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

	for _, svc := range []struct{ name, addr, env string }{
		{tenants.Name, defaults(t).HTTPAddr, tenants.EnvPrefix + "HTTP_ADDR"},
		{allocation.Name, allocationDefaults(t).HTTPAddr, allocation.EnvPrefix + "HTTP_ADDR"},
	} {
		found := false
		for _, sc := range cfg.ScrapeConfigs {
			if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
				continue
			}
			for _, st := range sc.StaticConfigs {
				if slices.Contains(st.Targets, svc.addr) {
					found = true
					// The availability alerts select zoneops targets by job name.
					if !strings.Contains(sc.JobName, "zoneops") {
						t.Errorf("job %q scrapes %s but its name lacks \"zoneops\", which the alerts select on", sc.JobName, svc.name)
					}
				}
			}
		}
		if !found {
			t.Errorf("no scrape job targets %s, the %s default address (%s)", svc.addr, svc.name, svc.env)
		}
	}
}
